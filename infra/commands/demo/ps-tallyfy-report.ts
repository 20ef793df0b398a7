import { describeLimits, type SandboxSettings } from '../sandbox-options.ts';
import type { FinishedJobContext } from './pair-demo.ts';
import type { JobReport } from './ps-tallyfy-data.ts';
import type { PsVerification } from './ps-tallyfy-verify.ts';

/** The same job run again over the same connections: what it wrote to Tallyfy. */
export interface PsRerun { jobId: string; status: string; seconds: number; creates: number; writes: number; byKind: Record<string, number> }

const n = (v: number): string => v.toLocaleString('en-US');

/** What the Process Street → Tallyfy demo prints after the job: degraded reasons, failures, verification, re-run. */
export function psTallyfyLines(input: { report: JobReport; verification: PsVerification | undefined; rerun: PsRerun | undefined; limits: SandboxSettings['limits'] }): string[] {
  const { report, verification: v, rerun } = input;
  const lines = [`  sandbox limits: ${describeLimits(input.limits)}`, `  degraded records: ${n(report.totals.degraded)} (succeeded in a documented degraded form), by reason:`];
  for (const d of report.degraded) lines.push(`    ${n(d.count).padStart(6)}  ${d.object}: ${d.reason}`);
  for (const m of report.failures.topMessages) lines.push(`  failed: ${m.count} × ${m.kind}: ${m.message}`);
  lines.push(`  retries: ${n(report.retries.total)} (records ${n(report.retries.records)}, batches ${n(report.retries.batches)})`);
  if (v) {
    lines.push('', `verification (${v.seconds.toFixed(1)} s, ${n(v.sourceCalls)} Process Street requests): ${v.ok ? 'OK — every source object is in Tallyfy exactly once, with the mapped values' : 'DIFFERENCES FOUND'}`);
    lines.push(`  ${'kind'.padEnd(12)}${['expected', 'present', 'missing', 'duplicates', 'mismatches', 'logged-absent'].map((h) => h.padStart(14)).join('')}`);
    for (const [kind, k] of Object.entries(v.kinds)) {
      lines.push(`  ${kind.padEnd(12)}${[k.expected, k.present, k.missing, k.duplicates, k.mismatches, k.absentAsLogged].map((x) => n(x).padStart(14)).join('')}`);
      for (const e of k.examples) lines.push(`      e.g. ${e}`);
    }
    lines.push(`  degraded: ${n(v.degraded.expected)} records degraded by the mapping, ${n(v.degraded.logged)} logged degraded by the job, ${n(v.degraded.notLogged)} not logged`);
  }
  if (rerun) {
    lines.push('', `re-run ${rerun.jobId}: ${rerun.status} in ${rerun.seconds.toFixed(1)} s; Tallyfy creates ${n(rerun.creates)}, writes ${n(rerun.writes)}${rerun.writes ? ` (${Object.entries(rerun.byKind).map(([k, c]) => `${k} ${c}`).join(', ')})` : ''}`);
  }
  return lines;
}

/** The `--json` report of the Process Street → Tallyfy demo. */
export function psTallyfyReport(input: {
  ctx: FinishedJobContext; outcome: { ok: boolean; reason: string | null }; report: JobReport;
  verification: PsVerification | undefined; rerun: PsRerun | undefined; totalSeconds: number;
}) {
  const { ctx, verification: v } = input;
  return {
    ok: input.outcome.ok,
    reason: input.outcome.reason,
    pair: ctx.args.pair,
    jobId: ctx.job.id,
    status: ctx.job.status,
    counts: ctx.job.counts ?? {},
    batches: ctx.job.batches ?? {},
    records: ctx.processed,
    expectedRecords: ctx.expectedTotal,
    seconds: Math.round(ctx.seconds * 10) / 10,
    recordsPerMinute: ctx.seconds > 0 ? Math.round((ctx.processed / ctx.seconds) * 60) : null,
    degraded: { total: input.report.totals.degraded, byReason: input.report.degraded },
    failures: input.report.failures.topMessages,
    retries: input.report.retries,
    verification: v ? { ok: v.ok, seconds: Math.round(v.seconds * 10) / 10, kinds: v.kinds, degraded: v.degraded } : null,
    rerun: input.rerun ? { ...input.rerun, seconds: Math.round(input.rerun.seconds * 10) / 10 } : null,
    sandbox: { seed: ctx.args.seed, limits: ctx.sandbox.settings.limits, describe: describeLimits(ctx.sandbox.settings.limits), processStreetObjects: ctx.sandbox.processStreet.objects },
    urls: { api: ctx.baseUrl, docs: `${ctx.baseUrl}/docs`, temporalUi: ctx.job.temporalUiUrl ?? null },
    totalSeconds: Math.round(input.totalSeconds),
  };
}
