/**
 * `npm run bench`: the benchmark scenarios against the `bench` dev stack, a table on stdout and the
 * numbers merged into bench/results.json (scenarios not run keep their previous values).
 *
 *   npm run bench                                   # throughput, rate-limited, concurrency, retry
 *   npm run bench -- --only throughput,retry --size 100000
 *   npm run bench -- --only scale                   # the 1,000,000-record job (long)
 *   npm run bench -- --only namespaces --tenants 200 --processes 1,2   # capped worker processes
 *   npm run bench:ps-eta                            # = --only pseta: Process Street → Tallyfy comment-phase ETA
 *   npm run bench:plan -- --stack plans             # = --only plan: POST /v1/plans against the demo account and a 2,000-record job at the real limits
 *
 * Scenarios: throughput, ratelimited, concurrency, retry, scale, workspace (two tenants' jobs with
 * two tokens of one Attio workspace on two worker processes: the workspace never above 25 writes/s),
 * namespaces (200 tenants on capped worker processes), pseta (Process Street → Tallyfy: the plan's ETA of
 * the comment phase against its measured time, sandboxes at the real limits compressed by `--window-scale`). `--size` overrides the account size of every
 * selected scenario (each has its own default). Progress goes to stderr; logs and CPU profiles
 * (`--cpu-prof`: the worker, and in `scale` the sandbox too) to bench/out/.
 */
import { parseArgs } from 'node:util';
import { openContext } from './lib/context.ts';
import { formatTable, mergeResult } from './lib/results.ts';
import { runConcurrency } from './scenarios/concurrency.ts';
import { runRateLimited } from './scenarios/rate-limited.ts';
import { runRetryLatency } from './scenarios/retry-latency.ts';
import { runNamespaces } from './scenarios/namespaces.ts';
import { runPlan } from './scenarios/plan.ts';
import { runPsEta } from './scenarios/ps-eta.ts';
import { runScale } from './scenarios/scale.ts';
import { runThroughput } from './scenarios/throughput.ts';
import { runWorkspace } from './scenarios/workspace.ts';
import type { ScenarioOptions, ScenarioResult } from './scenarios/types.ts';
import { cancelUnfinished, type BenchContext } from './lib/context.ts';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string', default: 'throughput,ratelimited,concurrency,retry' },
    size: { type: 'string' },
    seed: { type: 'string', default: 'bench' },
    'batch-size': { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '4' },
    'plain-concurrency': { type: 'string', default: '32' },
    retries: { type: 'string', default: '100' },
    tenants: { type: 'string', default: '200' },
    processes: { type: 'string', default: '1,2' },
    timeout: { type: 'string', default: '3600' },
    'cpu-prof': { type: 'boolean', default: false },
    'keep-stack': { type: 'boolean', default: false },
    'window-scale': { type: 'string', default: String(1 / 60) },
    'eta-size': { type: 'string', default: '2000' },
    stack: { type: 'string' },
  },
});

const log = (m: string): void => console.error(`[bench] ${m}`);
const options: ScenarioOptions = {
  size: args.size ? Number(args.size) : undefined, seed: args.seed, batchSize: Number(args['batch-size']), concurrency: Number(args.concurrency),
  plainConcurrency: Number(args['plain-concurrency']), timeoutS: Number(args.timeout), cpuProf: args['cpu-prof'], log,
};
const SCENARIOS: Record<string, (ctx: BenchContext) => Promise<ScenarioResult>> = {
  throughput: (ctx) => runThroughput(ctx, options),
  ratelimited: (ctx) => runRateLimited(ctx, options),
  concurrency: (ctx) => runConcurrency(ctx, options),
  retry: (ctx) => runRetryLatency(ctx, { ...options, retries: Number(args.retries) }),
  scale: (ctx) => runScale(ctx, options),
  workspace: (ctx) => runWorkspace(ctx, options),
  pseta: (ctx) => runPsEta(ctx, { ...options, windowScale: Number(args['window-scale']) }),
  plan: (ctx) => runPlan(ctx, { ...options, etaSize: Number(args['eta-size']) }),
  namespaces: (ctx) => runNamespaces(ctx, { ...options, tenants: Number(args.tenants), processes: args.processes.split(',').map(Number) }),
};
const selected = args.only.split(',').map((s) => s.trim()).filter(Boolean);
const unknown = selected.filter((s) => !(s in SCENARIOS));
if (unknown.length > 0) {
  console.error(`unknown scenario(s) ${unknown.join(', ')}; choose from ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}

const ctx = await openContext(log, args.stack);
const measuredNow = new Set<string>();
let exitCode = 0;
try {
  for (const name of selected) {
    log(`── ${name}`);
    try {
      const result = await (SCENARIOS[name] as (c: BenchContext) => Promise<ScenarioResult>)(ctx);
      mergeResult(name, result, { ...options, log: undefined });
      for (const key of Object.keys(result.metrics)) measuredNow.add(key);
    } catch (err) {
      exitCode = 1;
      log(`${name} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    } finally {
      const cancelled = await cancelUnfinished(ctx).catch((err: unknown) => log(`could not cancel unfinished jobs: ${String(err)}`));
      if (cancelled) log(`${name}: cancelled ${cancelled} unfinished job(s)`);
    }
  }
} finally {
  await ctx.close(!args['keep-stack']);
}
console.log(formatTable(measuredNow));
console.log('\nwrote bench/results.json');
process.exit(exitCode);
