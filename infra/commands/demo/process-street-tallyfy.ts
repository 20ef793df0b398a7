import { PROCESS_STREET_TALLYFY } from '../../../shared/pairs/process-street-tallyfy.ts';
import type { ApiClient } from '../api-client.ts';
import type { RunningSandbox } from '../sandbox-process.ts';
import { CREATE_KINDS, readTallyfyWrites, type JobReport } from './ps-tallyfy-data.ts';
import { verifyPsTallyfy } from './ps-tallyfy-verify.ts';
import { psTallyfyLines, psTallyfyReport, type PsRerun } from './ps-tallyfy-report.ts';
import type { PairDemo } from './pair-demo.ts';

/** Creates the Process Street and Tallyfy connections through the API, pointing at this run's sandboxes. */
async function createConnections(api: ApiClient, sandbox: RunningSandbox): Promise<{ sourceId: string; targetId: string }> {
  const stamp = new Date().toISOString().replace(/\..*$/, 'Z');
  const source = await api.post<{ id: string }>('/v1/connections', {
    name: `Demo Process Street sandbox ${stamp}`, type: 'process-street', baseUrl: sandbox.processStreet.url,
    credentials: { apiKey: sandbox.processStreet.apiKey },
  });
  const target = await api.post<{ id: string }>('/v1/connections', {
    name: `Demo Tallyfy sandbox ${stamp}`, type: 'tallyfy', baseUrl: sandbox.tallyfy.url,
    credentials: { token: sandbox.tallyfy.token }, settings: { organizationId: sandbox.tallyfy.organizationId },
  });
  return { sourceId: source.id, targetId: target.id };
}

/** Tallyfy writes accepted between two `/__sandbox/writes` readings, the creating kinds apart. */
function writesBetween(before: Record<string, number>, after: Record<string, number>): { creates: number; writes: number; byKind: Record<string, number> } {
  const byKind = Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)]).filter(([, n]) => n !== 0));
  const sum = (keys: string[]) => keys.reduce((n, k) => n + ((after[k] ?? 0) - (before[k] ?? 0)), 0);
  return { creates: sum(CREATE_KINDS), writes: sum(Object.keys(after)), byKind };
}

/**
 * Process Street → Tallyfy: the generated organisation (≈3,150 objects at the default scale) into an
 * empty Tallyfy organisation. Tallyfy's limits run time-compressed by default (its hourly comment cap
 * in seconds, the worker told the same hour); --real-limits keeps the real hour (the comments alone take
 * hours). After the job: its report, a verification of Tallyfy against Process Street, and the same job
 * run again, which must create nothing.
 */
export const processStreetTallyfyDemo: PairDemo = {
  id: PROCESS_STREET_TALLYFY.id,
  limits: (realLimits) => (realLimits ? 'real' : 'compressed'),
  describeSandbox: (sandbox) =>
    `Process Street sandbox ${sandbox.processStreet.url} (${sandbox.processStreet.objects.toLocaleString('en-US')} objects, seed "${sandbox.settings.seed}") · Tallyfy sandbox ${sandbox.tallyfy.url} (organisation ${sandbox.tallyfy.organizationId})`,
  expectedTotal: (sandbox) => sandbox.processStreet.records,
  createConnections,
  async afterJob(ctx) {
    const { job, sandbox, say } = ctx;
    const report = await ctx.step('read the job report (GET /v1/jobs/{id}/report)', () => ctx.api.get<JobReport>(`/v1/jobs/${job.id}/report`));
    const finished = job.status === 'completed' || job.status === 'completed_with_errors';
    if (job.status !== 'completed') say(`\n${ctx.workerTail()}`);
    const verification = finished
      ? await ctx.step('verify Tallyfy against Process Street', () => verifyPsTallyfy({
        processStreet: { url: sandbox.processStreet.url, apiKey: sandbox.processStreet.apiKey }, tallyfyUrl: sandbox.tallyfy.url, api: ctx.api, jobId: job.id,
      }))
      : undefined;
    let rerun: PsRerun | undefined;
    if (job.status === 'completed') {
      say();
      say('running the same job again (it must create nothing in Tallyfy) ...');
      const before = await readTallyfyWrites(sandbox.tallyfy.url);
      const started = Date.now();
      const again = await ctx.step('run the same job again', () => ctx.runAgain(`demo-rerun-${ctx.connections.sourceId}`));
      rerun = { jobId: again.id, status: again.status, seconds: (Date.now() - started) / 1000, ...writesBetween(before, await readTallyfyWrites(sandbox.tallyfy.url)) };
    }
    for (const line of psTallyfyLines({ report, verification, rerun, limits: sandbox.settings.limits })) say(line);
    const outcome = job.status !== 'completed' ? { ok: false, reason: `the job ended ${job.status}, not completed` }
      : !verification?.ok ? { ok: false, reason: 'verification found differences between Process Street and Tallyfy' }
        : rerun?.status !== 'completed' ? { ok: false, reason: `the re-run ended ${rerun?.status ?? 'unknown'}, not completed` }
          : rerun.creates !== 0 ? { ok: false, reason: `the re-run created ${rerun.creates} object(s) in Tallyfy` }
            : { ok: true, reason: null };
    return { outcome, report: (totalSeconds) => psTallyfyReport({ ctx, outcome, report, verification, rerun, totalSeconds }) };
  },
};
