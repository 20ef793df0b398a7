/**
 * What `npm run demo` prints: the progress bar, the job summary, the verification result and the
 * one-line JSON report. Pure functions of the API's answers, so they are unit-tested.
 */
import { rightPercent } from '../../activities/pairs/affinity-attio/verification/link-counts.ts';
import { linkLines } from '../../activities/pairs/affinity-attio/verification/link-lines.ts';
import type { VerificationReport } from '../../activities/pairs/affinity-attio/verification/verify-migration.ts';
import type { JobProgress } from '../../shared/jobs/job-progress.ts';

export const RECORD_STATUSES = ['succeeded', 'failed', 'retrying', 'skipped'] as const;
export const TERMINAL = ['completed', 'completed_with_errors', 'failed', 'cancelled'] as const;

/** The part of `GET /v1/jobs/{id}` (JobDetail in api/schemas/job.ts) the demo reads. */
export interface JobView {
  id: string;
  status: string;
  namespace?: string;
  workflowId?: string;
  temporalUiUrl?: string;
  error?: string | null;
  startedAt?: string | null;
  finishedAt?: string | null;
  counts?: Record<string, Partial<Record<(typeof RECORD_STATUSES)[number], number>>>;
  batches?: Record<string, number>;
  progress?: JobProgress;
}

export function isTerminal(status: string): boolean {
  return (TERMINAL as readonly string[]).includes(status);
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** processed / total, from the API's percent when it knows the total, else from the expected total. */
export function progressFraction(job: JobView, expectedTotal?: number): number | null {
  if (job.status === 'completed') return 1;
  const p = job.progress;
  if (p?.percent != null) return Math.min(1, p.percent / 100);
  const total = p?.estimatedTotal ?? expectedTotal;
  return p && total ? Math.min(1, p.processed / total) : null;
}

/** `running  [█████░░░░░]  50.0%  2,500 / 5,000 records  12,000 rec/min  ETA 12s` */
export function renderProgress(job: JobView, options: { width?: number; expectedTotal?: number; elapsedSeconds?: number } = {}): string {
  const width = options.width ?? 30;
  const fraction = progressFraction(job, options.expectedTotal);
  const filled = fraction === null ? 0 : Math.round(fraction * width);
  const bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
  const pct = fraction === null ? '   ?  ' : `${(fraction * 100).toFixed(1).padStart(5)}%`;
  const p = job.progress;
  const total = p?.estimatedTotal ?? options.expectedTotal;
  const parts = [job.status.padEnd(9), bar, pct, `${int(p?.processed ?? 0)}${total ? ` / ${int(total)}` : ''} records`];
  if (p?.recordsPerMinute) parts.push(`${int(p.recordsPerMinute)} rec/min`);
  if (p?.etaSeconds != null && !isTerminal(job.status)) parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
  const elapsed = p?.elapsedSeconds ?? options.elapsedSeconds;
  if (elapsed != null) parts.push(`elapsed ${formatDuration(elapsed)}`);
  return parts.join('  ');
}

/** Per object and record status, then totals and batches. */
export function summaryLines(job: JobView): string[] {
  const head = `  ${'object'.padEnd(15)}${RECORD_STATUSES.map((s) => s.padStart(11)).join('')}`;
  const totals = Object.fromEntries(RECORD_STATUSES.map((s) => [s, 0])) as Record<(typeof RECORD_STATUSES)[number], number>;
  const rows = Object.entries(job.counts ?? {}).map(([object, c]) => {
    for (const s of RECORD_STATUSES) totals[s] += c[s] ?? 0;
    return `  ${object.padEnd(15)}${RECORD_STATUSES.map((s) => int(c[s] ?? 0).padStart(11)).join('')}`;
  });
  const lines = [head, ...rows, `  ${'total'.padEnd(15)}${RECORD_STATUSES.map((s) => int(totals[s]).padStart(11)).join('')}`];
  const batches = Object.entries(job.batches ?? {}).filter(([, n]) => n > 0).map(([s, n]) => `${int(n)} ${s}`);
  if (batches.length) lines.push(`  batches: ${batches.join(', ')}`);
  return lines;
}

export function verificationLines(report: VerificationReport, seconds: number, calls?: { attio: number; affinity: number }): string[] {
  const cost = calls ? `, ${int(calls.attio)} Attio and ${int(calls.affinity)} Affinity requests` : '';
  const lines = [
    `verification (${seconds.toFixed(1)} s${cost}): ${report.ok ? 'OK — every source record is in Attio exactly once, with the mapped values' : 'DIFFERENCES FOUND'}`,
    `  ${'kind'.padEnd(12)}${['expected', 'present', 'missing', 'logged-absent', 'duplicates', 'unexpected', 'mismatches', 'not Freight\'s'].map((h) => h.padStart(14)).join('')}`,
  ];
  for (const [kind, k] of Object.entries(report.kinds)) {
    const cells = [k.expected, k.present, k.missing, k.absentAsLogged, k.duplicates, k.unexpected, k.mismatches, k.foreign];
    lines.push(`  ${kind.padEnd(12)}${cells.map((n) => int(n).padStart(14)).join('')}`);
    for (const e of k.examples) lines.push(`      e.g. ${e}`);
  }
  lines.push(`  references: ${int(report.references.checked)} checked, ${int(report.references.dangling)} dangling`);
  lines.push(...linkLines(report));
  return lines;
}

/** Totals of a verification report, for the JSON line. */
export function verificationSummary(report: VerificationReport, seconds: number, calls?: { attio: number; affinity: number }) {
  const sum = (key: 'expected' | 'present' | 'missing' | 'absentAsLogged' | 'duplicates' | 'unexpected' | 'mismatches' | 'foreign'): number =>
    Object.values(report.kinds).reduce((n, k) => n + k[key], 0);
  return {
    ok: report.ok,
    seconds: Math.round(seconds * 10) / 10,
    expected: sum('expected'), present: sum('present'), missing: sum('missing'), absentAsLogged: sum('absentAsLogged'),
    duplicates: sum('duplicates'), unexpected: sum('unexpected'), mismatches: sum('mismatches'),
    // Rows of the workspace Freight did not write (no source id / marker): not compared.
    notFreights: sum('foreign'),
    danglingReferences: report.references.dangling,
    links: Object.fromEntries(Object.entries(report.links).map(([name, c]) => [name, {
      unit: c.unit, records: c.records, checked: c.checked, right: c.right, wrong: c.wrong, missing: c.missing,
      sourceHasNone: c.sourceHasNone, notMigrated: c.notMigrated, rightPercent: rightPercent(c),
    }])),
    target: report.target,
    // What the check itself sent to each API (not part of the job's figures).
    ...(calls ? { requests: calls } : {}),
  };
}

/** Exit 0 only for a completed job whose target matches its source. */
export function demoOutcome(status: string | undefined, verification: { ok: boolean } | undefined): { ok: boolean; reason: string | null } {
  if (status === undefined) return { ok: false, reason: 'the job was never created' };
  if (status !== 'completed') return { ok: false, reason: `the job ended ${status}, not completed` };
  if (!verification) return { ok: false, reason: 'verification did not run' };
  if (!verification.ok) return { ok: false, reason: 'verification found differences between Affinity and Attio' };
  return { ok: true, reason: null };
}

/** Job duration from its own timestamps (started → finished), else the demo's wall clock. */
export function jobSeconds(job: JobView, fallbackSeconds: number): number {
  if (job.startedAt && job.finishedAt) return Math.max(0, (Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000);
  return job.progress?.elapsedSeconds ?? fallbackSeconds;
}

export function totalProcessed(job: JobView): number {
  if (job.progress) return job.progress.processed;
  return Object.values(job.counts ?? {}).reduce((n, c) => n + (c.succeeded ?? 0) + (c.failed ?? 0) + (c.skipped ?? 0), 0);
}
