/**
 * Process Street → Tallyfy ETA (issue 15's acceptance): with both sandboxes at the real limits,
 * time-compressed by `windowScale` (the hour of Tallyfy's caps = 3,600 s × scale; the worker's budgets
 * compressed to match through FREIGHT_TALLYFY_HOUR_MS, FREIGHT_TALLYFY_REQUESTS_PER_MIN and
 * FREIGHT_PROCESS_STREET_REQUESTS_PER_SEC), a job of the foundation, templates and active phases
 * runs first, then a job of the collaborative phase. The second job's plan (made at creation under
 * the real limits) gives the phase's ETA; scaled, it is compared with the job's measured wall time
 * (created → terminal), and the Tallyfy sandbox's /__sandbox/requests gives the calls and the 429s
 * of that job. Numbers only: no timed assertion.
 */
import { randomBytes } from 'node:crypto';
import type { JobCallPlan } from '../../shared/jobs/call-plan.ts';
import { recordsDone, waitForJob, type BenchContext, type BenchTenant, type JobView } from '../lib/context.ts';
import { startPsSandboxes, startWorker, stopChild, type PsSandboxInfo, type Spawned } from '../lib/processes.ts';
import type { ScenarioOptions, ScenarioResult } from './types.ts';

const HOUR_MS = 3_600_000;

export interface PsEtaOptions extends ScenarioOptions {
  /** Multiplies every limit window (default 1/60: Tallyfy's hour is 60 s). */
  windowScale: number;
}

interface Requests { total: number; rateLimited: number; byEndpoint: Record<string, { requests: number; rateLimited: number }> }

async function tenantFor(ctx: BenchContext, s: PsSandboxInfo): Promise<BenchTenant> {
  const slug = `pseta-${randomBytes(4).toString('hex')}`;
  const tenant = await ctx.call<{ id: string; namespace: string }>('POST', '/v1/tenants', ctx.adminKey, { slug, name: `Bench ${slug}` });
  const { key } = await ctx.call<{ key: string }>('POST', `/v1/tenants/${tenant.id}/api-keys`, ctx.adminKey, { role: 'engineer', name: 'bench' });
  const source = await ctx.call<{ id: string }>('POST', '/v1/connections', key, { name: 'process street', type: 'process-street', baseUrl: s.psUrl, credentials: { apiKey: s.psKey } });
  const target = await ctx.call<{ id: string }>('POST', '/v1/connections', key, {
    name: 'tallyfy', type: 'tallyfy', baseUrl: s.tallyfyUrl, credentials: { token: s.tallyfyToken }, settings: { organizationId: s.organizationId },
  });
  return { id: tenant.id, namespace: tenant.namespace, key, sourceId: source.id, targetId: target.id };
}

async function runJob(ctx: BenchContext, t: BenchTenant, phases: string[], o: PsEtaOptions): Promise<{ view: JobView; plan: JobCallPlan | null; seconds: number }> {
  const job = await ctx.call<JobView & { callPlan: JobCallPlan | null }>('POST', '/v1/jobs', t.key, {
    sourceConnectionId: t.sourceId, targetConnectionId: t.targetId, phases, batchSize: o.batchSize, concurrency: o.concurrency,
  });
  ctx.created.push({ tenant: t, jobId: job.id });
  // Measured from creation (the plan is made before it) to the terminal status.
  const t0 = performance.now();
  const view = await waitForJob(ctx, t, job.id, { timeoutS: o.timeoutS, log: o.log, pollMs: 250 });
  return { view, plan: job.callPlan, seconds: (performance.now() - t0) / 1000 };
}

const diff = (after: Requests, before: Requests): { total: number; rateLimited: number } => ({ total: after.total - before.total, rateLimited: after.rateLimited - before.rateLimited });

export async function runPsEta(ctx: BenchContext, o: PsEtaOptions): Promise<ScenarioResult> {
  // 0.2: 312 runs, 220 comments ≈ 2 minutes of comments at an hour of 60 s; the bench ≈ 7 minutes.
  const size = o.size ?? 0.2;
  const scale = o.windowScale;
  let sandbox: Spawned | undefined;
  let worker: Spawned | undefined;
  try {
    const started = await startPsSandboxes({ size, seed: o.seed, windowScale: scale });
    sandbox = started.proc;
    const s = started.info;
    o.log(`pseta: organisation ${JSON.stringify(s.counts)}; Tallyfy limits ${JSON.stringify(s.limits)} (an hour = ${(HOUR_MS * scale / 1000).toFixed(0)} s)`);
    const tenant = await tenantFor(ctx, s);
    worker = await startWorker({
      ...ctx.env,
      FREIGHT_TALLYFY_HOUR_MS: String(Math.round(HOUR_MS * scale)),
      FREIGHT_TALLYFY_REQUESTS_PER_MIN: String(Math.round(600 / scale)),
      FREIGHT_PROCESS_STREET_REQUESTS_PER_SEC: String(Math.round(10 / scale)),
    });
    const requests = async (): Promise<Requests> => (await (await fetch(`${s.tallyfyUrl}/__sandbox/requests`)).json()) as Requests;

    const first = await runJob(ctx, tenant, ['foundation', 'templates', 'active'], o);
    o.log(`pseta: foundation+templates+active ${first.view.status} in ${first.seconds.toFixed(1)} s (${recordsDone(first.view)} records)`);
    const before = await requests();
    const collab = await runJob(ctx, tenant, ['collaborative'], o);
    const after = await requests();
    const calls = diff(after, before);
    const comment = Object.entries(after.byEndpoint).find(([k]) => k.startsWith('POST') && k.endsWith('/comment'))?.[1];
    const phase = collab.plan?.eta?.phases.find((p) => p.phase === 'collaborative');
    const etaS = phase ? (phase.ms * scale) / 1000 : null;
    const ratio = etaS ? collab.seconds / etaS : null;
    const ratio429 = calls.total > 0 ? calls.rateLimited / calls.total : null;
    o.log(`pseta: collaborative ${collab.view.status} in ${collab.seconds.toFixed(1)} s; plan ETA ${etaS?.toFixed(1)} s (scaled; ${phase?.boundBy}, ` +
      `plan ${JSON.stringify(collab.plan?.records)} vs organisation ${JSON.stringify({ comments: s.counts.comments, attachments: s.counts.attachments })}); measured/ETA ${ratio?.toFixed(3)}; Tallyfy ${calls.total} calls, ${calls.rateLimited} answered 429`);
    return {
      metrics: {
        ps_eta_comment_phase_eta_s: etaS === null ? null : Math.round(etaS * 10) / 10,
        ps_eta_comment_phase_measured_s: Math.round(collab.seconds * 10) / 10,
        ps_eta_measured_over_eta: ratio === null ? null : Math.round(ratio * 1000) / 1000,
        ps_eta_429_ratio: ratio429 === null ? null : Math.round(ratio429 * 10000) / 10000,
      },
      details: {
        size, window_scale: scale, organisation: s.counts,
        first_job: { id: first.view.id, status: first.view.status, seconds: Math.round(first.seconds * 10) / 10, counts: first.view.counts },
        collaborative_job: { id: collab.view.id, status: collab.view.status, counts: collab.view.counts, plan_records: collab.plan?.records, plan_error: collab.plan?.error },
        plan_phase: phase ?? null, plan_eta_real_hours: phase ? Math.round((phase.ms / HOUR_MS) * 100) / 100 : null,
        tallyfy_calls: calls.total, tallyfy_429: calls.rateLimited, comments_posted: comment?.requests ?? null,
        tallyfy_calls_whole_run: after.total, tallyfy_429_whole_run: after.rateLimited,
      },
    };
  } finally {
    await stopChild(worker);
    await stopChild(sandbox);
  }
}
