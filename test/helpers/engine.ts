import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import type { VerificationReport } from '../../activities/pairs/affinity-attio/verification/verify-migration.ts';
import { verifySandboxPair } from '../../activities/pairs/affinity-attio/verification/verify-sandboxes.ts';
import { REPO_ROOT } from '../../infra/dev-stack/paths.ts';
import { runChecked } from '../../infra/dev-stack/run.ts';
import { installTemporal } from '../../infra/dev-stack/temporal.ts';
import type { TransactionSql } from '../../shared/db/client.ts';
import { withTenant } from '../../shared/db/scope.ts';
import { startAffinitySandbox, startAttioSandbox, type AffinitySandboxOptions, type AttioSandboxOptions } from '../../infra/sandbox/index.ts';
import type { Config } from '../../shared/config.ts';
import { createKey, createTenant, createTestApp, type TestApp } from '../integration/support/app.ts';
import { getTestContext } from './stack.ts';

export type Sandboxes = { affinity: Awaited<ReturnType<typeof startAffinitySandbox>>; attio: Awaited<ReturnType<typeof startAttioSandbox>> };

/** The production worker entrypoint as a child process (so tests can SIGKILL and restart it). */
export interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** Where its stdout and stderr go (test-artifacts/). */
  logFile: string;
  /**
   * Sends `signal` (SIGTERM by default) and waits for the process to exit, at most `timeoutMs`
   * (default 30 s). A worker still running then is SIGKILLed and the call fails: a shutdown that
   * does not finish in time is a defect of its own, not something for the test's timeout to absorb.
   */
  kill(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
  /** Resolves (with the moment, epoch ms) once the process logs that it serves its task queue. */
  ready(timeoutMs?: number): Promise<number>;
}

/** Longest a worker may take to stop after SIGTERM: its own bound (force time + 17 s, 22 s here) is shorter. */
const KILL_TIMEOUT_MS = 30_000;

export function startWorkerProcess(taskQueue: string, extraEnv: Record<string, string> = {}): WorkerProcess {
  const env = {
    ...process.env, ...inject('stackEnv'),
    LOG_LEVEL: 'info',
    FREIGHT_ATTIO_WRITES_PER_SEC: '100000', FREIGHT_ATTIO_READS_PER_SEC: '100000', FREIGHT_AFFINITY_REQUESTS_PER_MIN: '10000000',
    FREIGHT_WORKER_SHUTDOWN_GRACE_MS: '2000',
    // Bounds the worker's whole stop at 5 + 17 s, well inside kill()'s 30 s.
    FREIGHT_WORKER_SHUTDOWN_FORCE_MS: '5000',
    TEMPORAL_TASK_QUEUE: taskQueue,
    // Every test file's tenants share the test database, and each file's worker polls a task queue of
    // its own, yet sees every file's demand: with the production cap a worker could spend its places
    // on other files' namespaces (whose tasks it never gets) before its own. Room for all of them, as
    // one task queue per deployment has in production; workers/*.int.test.ts test the cap itself.
    FREIGHT_WORKER_MAX_NAMESPACES: '100', FREIGHT_WORKER_MAX_CONCURRENT_ACTIVITIES: '400',
    FREIGHT_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '800', FREIGHT_WORKER_MAX_CACHED_WORKFLOWS: '2000', FREIGHT_WORKER_DB_POOL_MAX: '10',
    // The outbox relay starts every tenant's webhook deliveries on this process's task queue: off, so
    // a file's worker never takes another file's deliveries (test/integration/webhooks/ runs its own).
    FREIGHT_WEBHOOK_RELAY: 'off',
    ...extraEnv,
  };
  // A single file run on a fresh clone has no test-artifacts/ yet (`npm test` makes it).
  mkdirSync(path.join(REPO_ROOT, 'test-artifacts'), { recursive: true });
  const logFile = path.join(REPO_ROOT, 'test-artifacts', `worker-${Date.now()}-${process.pid}.log`);
  const fd = openSync(logFile, 'a');
  // node itself (not the tsx wrapper), so a SIGKILL hits the worker and not just its launcher.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'workers', 'main.ts')], { cwd: REPO_ROOT, env, stdio: ['ignore', fd, fd] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    logFile,
    async ready(timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (!readFileSync(logFile, 'utf8').includes('"msg":"worker process ready"')) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`worker not ready (log: ${logFile})`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return Date.now();
    },
    async kill(signal = 'SIGTERM', timeoutMs = KILL_TIMEOUT_MS) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); }),
      ]);
      clearTimeout(timer);
      if (stopped) return;
      child.kill('SIGKILL');
      await exited;
      throw new Error(`the worker process (pid ${child.pid}) would not stop within ${timeoutMs / 1000} s of ${signal}; killed it (SIGKILL)`);
    },
  };
}

export interface EngineTenant {
  t: TestApp;
  tenantId: string;
  namespace: string;
  key: string;
  sourceConnectionId: string;
  targetConnectionId: string;
}

/** A tenant with an engineer key and connections to the given sandboxes, all through the REST API. */
/**
 * A tenant whose jobs go to `taskQueue` (the one its test's worker process polls): test files run in
 * parallel, each with its own worker, and must not serve each other's jobs — a SIGKILL test would
 * otherwise be rescued by a neighbour's worker.
 */
export async function createEngineTenant(sandboxes: Sandboxes, taskQueue: string, options: { config?: Partial<Config> } = {}): Promise<EngineTenant> {
  const ctx = await getTestContext();
  const t = await createTestApp({ config: { ...options.config, temporal: { ...ctx.config.temporal, taskQueue } } });
  const tenant = await createTenant(t);
  const { key } = await createKey(t, tenant.id, 'engineer');
  const connect = async (body: unknown): Promise<string> => {
    const res = await t.call('POST', '/v1/connections', { token: key, body });
    if (res.status !== 201) throw new Error(`connection: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  };
  const sourceConnectionId = await connect({ name: 'affinity', type: 'affinity', baseUrl: sandboxes.affinity.url, credentials: { apiKey: sandboxes.affinity.apiKey } });
  const targetConnectionId = await connect({ name: 'attio', type: 'attio', baseUrl: sandboxes.attio.url, credentials: { apiKey: sandboxes.attio.token } });
  return { t, tenantId: tenant.id, namespace: tenant.namespace, key, sourceConnectionId, targetConnectionId };
}

export async function startSandboxes(affinity: AffinitySandboxOptions, attio: AttioSandboxOptions = {}): Promise<Sandboxes> {
  return {
    affinity: await startAffinitySandbox({ limits: { perMinute: 0, monthly: 0 }, ...affinity }),
    attio: await startAttioSandbox({ limits: { readsPerSecond: 0, writesPerSecond: 0 }, ...attio }),
  };
}

export interface JobView {
  id: string;
  status: string;
  counts: Record<string, Record<string, number>>;
  batches: Record<string, number>;
}

export async function createJob(e: EngineTenant, body: Record<string, unknown> = {}): Promise<JobView> {
  const res = await e.t.call('POST', '/v1/jobs', { token: e.key, body: { sourceConnectionId: e.sourceConnectionId, targetConnectionId: e.targetConnectionId, ...body } });
  if (res.status !== 201) throw new Error(`job: ${res.status} ${await res.text()}`);
  return (await res.json()) as JobView;
}

export async function getJob(e: EngineTenant, jobId: string): Promise<JobView> {
  const res = await e.t.call('GET', `/v1/jobs/${jobId}`, { token: e.key });
  if (res.status !== 200) throw new Error(`get job: ${res.status} ${await res.text()}`);
  return (await res.json()) as JobView;
}

/** Polls the job until `done` says so (status or counts), or fails with the last view. */
export async function waitForJob(e: EngineTenant, jobId: string, done: (job: JobView) => boolean, timeoutMs = 240_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  let job = await getJob(e, jobId);
  while (!done(job)) {
    if (Date.now() > deadline) throw new Error(`job ${jobId} did not get there in time: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 250));
    job = await getJob(e, jobId);
  }
  return job;
}

export const TERMINAL = ['completed', 'completed_with_errors', 'failed', 'cancelled'];

/** Affinity side vs Attio side: every record exactly once, values equal, references resolved. */
export async function verifySandboxes(s: Sandboxes, expectedAbsent: Set<string>): Promise<VerificationReport> {
  const pair = { affinity: { url: s.affinity.url, apiKey: s.affinity.apiKey }, attio: { url: s.attio.url, token: s.attio.token } };
  return (await verifySandboxPair(pair, expectedAbsent)).report;
}

/** `kind:id` keys (verification's) of the records a job logged with the given status. */
export async function recordKeys(e: EngineTenant, jobId: string, status: string): Promise<Set<string>> {
  const kindOf: Record<string, string> = { organizations: 'organization', persons: 'person', opportunities: 'opportunity', lists: 'list_entry', notes: 'note' };
  const rows = await asTenant(e, (tx) => tx<{ object: string; source_id: string }[]>`
    select object, source_id from freight.job_records where job_id = ${jobId} and status = ${status}`);
  return new Set(rows.map((r) => `${kindOf[r.object] ?? r.object}:${r.source_id}`));
}

/** SQL as the service role inside the tenant's RLS scope (the way Freight itself reads). */
export function asTenant<T>(e: EngineTenant, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return withTenant(e.t.ctx.sql, e.tenantId, fn);
}

/** Runs the real `temporal` CLI (the dev stack's pinned binary) against the test server. */
export async function temporalCli(e: EngineTenant, args: string[]): Promise<string> {
  const bin = await installTemporal(path.join(REPO_ROOT, 'test-artifacts'));
  return runChecked(bin, [...args, '--address', e.t.ctx.config.temporal.address, '--namespace', e.namespace]);
}

export async function attioWrites(s: Sandboxes): Promise<number> {
  const res = await fetch(`${s.attio.url}/__sandbox/stats`);
  return ((await res.json()) as { writes: number }).writes;
}

export async function sandboxControl(url: string, method: string, body?: unknown): Promise<void> {
  const res = await fetch(url, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
}

/** A task queue of the test's own. */
export function testTaskQueue(name: string): string {
  return `freight-test-${name}-${process.pid}`;
}
