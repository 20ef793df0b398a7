/**
 * `npm run demo`: the whole of Freight end to end on one machine. Starts the stack, the API, the
 * worker and the Affinity/Attio sandboxes (a generated account, limits off unless --real-limits),
 * then as a user would — through the REST API — creates a tenant key, two connections and a job,
 * watches it to the end, verifies the Attio side against the Affinity side, prints a summary and
 * stops everything it started. Exit 0 only when the job completed and verification found nothing.
 */
import { createApiClient, type ApiClient } from './api-client.ts';
import { parseDemoArgs, DEMO_USAGE, type DemoArgs } from './demo-args.ts';
import { demoOutcome, isTerminal, jobSeconds, summaryLines, totalProcessed, verificationLines, type JobView } from './demo-format.ts';
import { cancelJob, createDemoConnections, createDemoJob, watchJob } from './demo-job.ts';
import { affinityStatsLine, attioStatsLine, buildDemoReport, readAffinityStats, readAttioStats } from './demo-report.ts';
import { ensureDemoTenant } from './demo-tenant.ts';
import { verifyDemoJob, type DemoVerification } from './demo-verify.ts';
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
  log(`starting Freight (stack, API, worker, sandbox with ${args.size.toLocaleString('en-US')} records, ${describeLimits(args.realLimits ? 'real' : 'off')}) ...`);
  running = await step('start Freight', undefined, () => startFreight({
    log,
    sandbox: { size: args.size, seed: args.seed, limits: args.realLimits ? 'real' : 'off', ports: { ...SANDBOX_DEV_PORTS } },
    onCrash: (name, lines) => void finish(1, `FAILED: ${name} exited unexpectedly; last log lines:\n${lines}`),
  }));
  const sandbox = running.sandbox as RunningSandbox;
  const { baseUrl } = running;
  log(`API ${baseUrl} · Affinity sandbox ${sandbox.affinity.url} · Attio sandbox ${sandbox.attio.url} (${sandbox.counts.total.toLocaleString('en-US')} records, seed "${args.seed}")`);

  const admin = createApiClient(baseUrl, running.adminKey);
  const tenant = await step('create the demo tenant and its engineer key', 'api', () => ensureDemoTenant(admin, baseUrl, running?.stack.dir ?? '.'));
  log(`tenant "demo" (namespace ${tenant.namespace}), engineer key ${tenant.keyCreated ? 'created' : 'reused'}`);
  const engineer = createApiClient(baseUrl, tenant.apiKey);
  api = engineer;

  const connections = await step('create the connections (POST /v1/connections)', 'api', () => createDemoConnections(engineer, sandbox));
  log(`connections: affinity ${connections.sourceId}, attio ${connections.targetId}`);
  const created = await step('create the job (POST /v1/jobs)', 'api', () => createDemoJob(engineer, {
    ...connections, batchSize: args.batchSize, concurrency: args.concurrency,
    metadata: { createdBy: 'npm run demo', sandbox: { size: args.size, seed: args.seed, limits: args.realLimits ? 'real' : 'off' } },
  }));
  job = created;
  log(`job ${created.id} created (${created.status}); watching it (GET /v1/jobs/${created.id} every 500 ms)`);

  const expectedTotal = sandbox.counts.total + sandbox.counts.opportunityListEntries;
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
  const [attioStats, affinityStats] = await Promise.all([readAttioStats(sandbox.attio.url), readAffinityStats(sandbox.affinity.url)]);
  if (affinityStats) say(`  ${affinityStatsLine(affinityStats, processed)}`);
  if (attioStats) say(`  ${attioStatsLine(attioStats, seconds)}`);
  if (final.status !== 'completed') say(`\n${logTail('worker')}`);

  let verification: DemoVerification | undefined;
  if (final.status === 'completed' || final.status === 'completed_with_errors') {
    say();
    verification = await step('verify Attio against Affinity', undefined, () => verifyDemoJob({ sandbox, api: engineer, jobId: final.id }));
    for (const line of verificationLines(verification.report, verification.seconds, verification.calls)) say(line);
  }

  say();
  say(`API docs        ${baseUrl}/docs`);
  say(`this job        ${baseUrl}/v1/jobs/${final.id}   (engineer key of tenant "demo" in ${tenant.keyFile})`);
  if (final.temporalUiUrl) say(`Temporal Web UI ${final.temporalUiUrl}`);
  say(`logs            ${running.logDir}/{api,worker,sandbox}.log`);

  const outcome = demoOutcome(final.status, verification?.report);
  say();
  say(outcome.ok ? `demo OK in ${((Date.now() - started) / 1000).toFixed(0)} s` : `demo FAILED: ${outcome.reason}`);
  if (args.json) {
    const report = buildDemoReport({
      outcome, job: final, processed, expectedRecords: expectedTotal, seconds, verification,
      sandbox: { size: args.size, seed: args.seed, limits: args.realLimits ? 'real' : 'off' },
      attio: attioStats, affinity: affinityStats, baseUrl, totalSeconds: (Date.now() - started) / 1000,
    });
    process.stdout.write(`${JSON.stringify(report)}\n`);
    reported = true;
  }
  await finish(outcome.ok ? 0 : 1);
}

main().catch((err: unknown) => finish(1, `FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
