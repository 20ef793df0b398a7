import { DEFAULT_PAIR_ID } from '../../../shared/pairs/index.ts';
import { demoOutcome, verificationLines } from '../demo-format.ts';
import { createDemoConnections } from '../demo-job.ts';
import { affinityStatsLine, attioStatsLine, buildDemoReport, readAffinityStats, readAttioStats } from '../demo-report.ts';
import { verifyDemoJob, type DemoVerification } from '../demo-verify.ts';
import type { PairDemo } from './pair-demo.ts';

/**
 * Affinity → Attio: a generated Affinity account (`--size` records), limits off unless --real-limits;
 * after the job, the calls each sandbox received and a verification of Attio against Affinity.
 */
export const affinityAttioDemo: PairDemo = {
  id: DEFAULT_PAIR_ID,
  limits: (realLimits) => (realLimits ? 'real' : 'off'),
  describeSandbox: (sandbox) =>
    `Affinity sandbox ${sandbox.affinity.url} · Attio sandbox ${sandbox.attio.url} (${sandbox.counts.total.toLocaleString('en-US')} records, seed "${sandbox.settings.seed}")`,
  expectedTotal: (sandbox) => sandbox.counts.total + sandbox.counts.opportunityListEntries,
  createConnections: createDemoConnections,
  async afterJob(ctx) {
    const { job: final, sandbox, say, processed, seconds } = ctx;
    const [attioStats, affinityStats] = await Promise.all([readAttioStats(sandbox.attio.url), readAffinityStats(sandbox.affinity.url)]);
    if (affinityStats) say(`  ${affinityStatsLine(affinityStats, processed)}`);
    if (attioStats) say(`  ${attioStatsLine(attioStats, seconds)}`);
    if (final.status !== 'completed') say(`\n${ctx.workerTail()}`);

    let verification: DemoVerification | undefined;
    if (final.status === 'completed' || final.status === 'completed_with_errors') {
      say();
      verification = await ctx.step('verify Attio against Affinity', () => verifyDemoJob({ sandbox, api: ctx.api, jobId: final.id }));
      for (const line of verificationLines(verification.report, verification.seconds, verification.calls)) say(line);
    }
    const outcome = demoOutcome(final.status, verification?.report);
    return {
      outcome,
      report: (totalSeconds) => buildDemoReport({
        outcome, job: final, processed, expectedRecords: ctx.expectedTotal, seconds, verification,
        sandbox: { size: ctx.args.size, seed: ctx.args.seed, limits: ctx.args.realLimits ? 'real' : 'off' },
        attio: attioStats, affinity: affinityStats, baseUrl: ctx.baseUrl, totalSeconds,
      }),
    };
  },
};
