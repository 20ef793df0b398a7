/**
 * `npm run demo`: the whole of Freight end to end on one machine. Starts the stack, the API, the
 * worker and the sandboxes (generated source data, limits as the pair's demo says), then as a user
 * would — through the REST API — creates a tenant key, two connections and a job, watches it to the
 * end, lets the pair's demo module (demo/, one per --pair) verify the target against the source,
 * prints a summary and stops everything it started. Exit 0 only when the job completed and the
 * pair's checks all hold.
 */
import { pairById } from '../../shared/pairs/index.ts';
import { createApiClient, type ApiClient } from './api-client.ts';
import { parseDemoArgs, DEMO_USAGE, type DemoArgs } from './demo-args.ts';
import { isTerminal, jobSeconds, summaryLines, totalProcessed, type JobView } from './demo-format.ts';
import { cancelJob, createDemoJob, watchJob } from './demo-job.ts';
import { ensureDemoTenant } from './demo-tenant.ts';
import { pairDemo } from './demo/index.ts';
import type { PairDemoResult } from './demo/pair-demo.ts';
import { startFreight, type RunningFreight } from './freight-processes.ts';
import { appTail } from './processes.ts';
import { describeLimits, SANDBOX_DEV_PORTS } from './sandbox-options.ts';
import type { RunningSandbox } from './sandbox-process.ts';

let args: DemoArgs;
try {
  args = parseDemoArgs(process.argv.slice(2), process.env);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(2);
}
if (args.help) {
  console.log(DEMO_USAGE);
  process.exit(0);
}

// Under --json, stdout carries only the report line; everything for humans goes to stderr.
const out = args.json ? process.stderr : process.stdout;
const say = (line = ''): void => void out.write(`${line}\n`);
const log = (m: string): void => say(`[demo] ${m}`);

let running: RunningFreight | undefined;
let api: ApiClient | undefined;
let job: JobView | undefined;
let interrupted = false;
let finishing = false;
let reported = false;

/** Cancels a job still running, stops what this command started, exits. Runs once. */
async function finish(code: number, reason?: string): Promise<never> {
  if (finishing) return new Promise<never>(() => undefined);
  finishing = true;
  // A progress bar may be half-drawn on this line.
  if (out.isTTY) out.write('\n');
  if (reason) log(reason);
  if (api && job && !isTerminal(job.status)) {
    log(`cancelling job ${job.id} ...`);
    const status = await cancelJob(api, job.id, (reason ?? 'npm run demo stopped').split('\n')[0]?.slice(0, 200) ?? 'npm run demo stopped');
    log(`job ${job.id} is ${status ?? 'in an unknown state (the API did not answer)'}`);
  }
  log('stopping everything this demo started ...');
  await running?.stop().catch((err: unknown) => log(`stop failed: ${err instanceof Error ? err.message : String(err)}`));
  // --json promises a last line on stdout, failures included.
  if (args.json && !reported) {
    const firstLine = (reason ?? 'stopped').replace(/^FAILED: /, '').split('\n')[0];
    process.stdout.write(`${JSON.stringify({ ok: false, reason: firstLine, jobId: job?.id ?? null, status: job?.status ?? null })}\n`);
  }
  process.exit(code);
}

process.on('SIGINT', () => {
  interrupted = true;
  void finish(130, 'interrupted (Ctrl-C)');
});
process.on('SIGTERM', () => {
  interrupted = true;
  void finish(143, 'terminated');
});

/** `last lines of <file>:` + what this run of an app wrote last. */
function logTail(name: 'api' | 'worker' | 'sandbox'): string {
  const app = running?.apps.find((a) => a.name === name);
  return app ? `last lines of ${app.logFile}:\n${appTail(app, 30)}` : `(no ${name} process)`;
}

/** Runs a step; on failure says which, with the tail of the log that explains it. */
async function step<T>(name: string, logName: 'api' | 'worker' | 'sandbox' | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (interrupted) return new Promise<never>(() => undefined);
    const detail = logName ? `\n${logTail(logName)}` : '';
    return finish(1, `FAILED: ${name}: ${err instanceof Error ? err.message : String(err)}${detail}`);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const demo = pairDemo(args.pair);
  const limits = demo.limits(args.realLimits);
  log(`starting Freight (stack, API, worker, sandbox with ${args.size.toLocaleString('en-US')} records, ${describeLimits(limits)}) ...`);
  running = await step('start Freight', undefined, () => startFreight({
    log,
    sandbox: { size: args.size, seed: args.seed, limits, ports: { ...SANDBOX_DEV_PORTS } },
    onCrash: (name, lines) => void finish(1, `FAILED: ${name} exited unexpectedly; last log lines:\n${lines}`),
  }));
  const sandbox = running.sandbox as RunningSandbox;
  const { baseUrl } = running;
  log(`API ${baseUrl} · ${demo.describeSandbox(sandbox)}`);

  const admin = createApiClient(baseUrl, running.adminKey);
  const tenant = await step('create the demo tenant and its engineer key', 'api', () => ensureDemoTenant(admin, baseUrl, running?.stack.dir ?? '.'));
  log(`tenant "demo" (namespace ${tenant.namespace}), engineer key ${tenant.keyCreated ? 'created' : 'reused'}`);
  const engineer = createApiClient(baseUrl, tenant.apiKey);
  api = engineer;

  const connections = await step('create the connections (POST /v1/connections)', 'api', () => demo.createConnections(engineer, sandbox));
  const pair = pairById(args.pair);
  log(`connections: ${pair?.source ?? 'source'} ${connections.sourceId}, ${pair?.target ?? 'target'} ${connections.targetId}`);
  const created = await step('create the job (POST /v1/jobs)', 'api', () => createDemoJob(engineer, {
    ...connections, batchSize: args.batchSize, concurrency: args.concurrency,
    metadata: { createdBy: 'npm run demo', sandbox: { size: args.size, seed: args.seed, limits } },
  }));
  job = created;
  log(`job ${created.id} created (${created.status}); watching it (GET /v1/jobs/${created.id} every 500 ms)`);

  const expectedTotal = demo.expectedTotal(sandbox);
  const watched = await step('watch the job (GET /v1/jobs/{id})', 'api', () => watchJob({
    api: engineer, jobId: created.id, expectedTotal, out, aborted: () => interrupted,
    deadline: Date.now() + args.timeoutMinutes * 60_000, stallMs: args.stallMinutes * 60_000,
  }));
  job = watched.job;
  const final = watched.job;
  if (watched.end === 'aborted') return;
  if (watched.end !== 'finished') {
    const why = watched.end === 'timeout'
      ? `the job did not finish within ${args.timeoutMinutes} min`
      : `no record was processed for ${args.stallMinutes} min`;
    await finish(1, `FAILED: ${why} (status ${final.status}${final.error ? `: ${final.error}` : ''}); ${logTail('worker')}`);
  }

  say();
  say(`job ${final.id}: ${final.status}${final.error ? ` — ${final.error}` : ''}`);
  for (const line of summaryLines(final)) say(line);
  const seconds = jobSeconds(final, (Date.now() - started) / 1000);
  const processed = totalProcessed(final);
  const perMinute = seconds > 0 ? Math.round((processed / seconds) * 60) : null;
  say(`  ${processed.toLocaleString('en-US')} records in ${seconds.toFixed(1)} s${perMinute ? ` = ${perMinute.toLocaleString('en-US')} records/min` : ''}`);

  const result: PairDemoResult = await demo.afterJob({
    args, api: engineer, sandbox, job: final, processed, seconds, expectedTotal, baseUrl, say, connections,
    step: (name, fn) => step(name, undefined, fn),
    runAgain: async (idempotencyKey) => {
      const again = await createDemoJob(engineer, {
        ...connections, batchSize: args.batchSize, concurrency: args.concurrency, idempotencyKey,
        metadata: { createdBy: 'npm run demo (re-run)', sandbox: { size: args.size, seed: args.seed, limits } },
      });
      job = again;
      const end = await watchJob({
        api: engineer, jobId: again.id, expectedTotal, out, aborted: () => interrupted,
        deadline: Date.now() + args.timeoutMinutes * 60_000, stallMs: args.stallMinutes * 60_000,
      });
      job = end.job;
      if (end.end !== 'finished') throw new Error(`the re-run ${again.id} did not finish (${end.end}, status ${end.job.status})`);
      return end.job;
    },
    workerTail: () => logTail('worker'),
  });

  say();
  say(`API docs        ${baseUrl}/docs`);
  say(`this job        ${baseUrl}/v1/jobs/${final.id}   (engineer key of tenant "demo" in ${tenant.keyFile})`);
  if (final.temporalUiUrl) say(`Temporal Web UI ${final.temporalUiUrl}`);
  say(`logs            ${running.logDir}/{api,worker,sandbox}.log`);

  const { outcome } = result;
  say();
  say(outcome.ok ? `demo OK in ${((Date.now() - started) / 1000).toFixed(0)} s` : `demo FAILED: ${outcome.reason}`);
  if (args.json) {
    process.stdout.write(`${JSON.stringify(result.report((Date.now() - started) / 1000))}\n`);
    reported = true;
  }
  await finish(outcome.ok ? 0 : 1);
}

main().catch((err: unknown) => finish(1, `FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
