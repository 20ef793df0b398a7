/**
 * What every benchmark scenario shares: the `bench` dev stack (Temporal, PostgreSQL, MinIO), the
 * environment the worker and API processes get, and an in-process API app used for set-up calls
 * (tenants, keys, connections, jobs). Measured API latency goes to the real API process instead.
 */
import { randomBytes } from 'node:crypto';
import { Client, WorkflowNotFoundError, type Connection } from '@temporalio/client';
import { jobWorkflowId } from '../../workflows/migration-job/definitions.ts';
import { createApp } from '../../api/app.ts';
import { downStack, upStack, type ServiceName } from '../../infra/dev-stack/stack.ts';
import { readState, writeState } from '../../infra/dev-stack/state.ts';
import { generateApiKey } from '../../shared/auth/api-key.ts';
import { loadConfig, type Config } from '../../shared/config.ts';
import { createSecretBox } from '../../shared/crypto/secret-box.ts';
import { createSql, type Sql } from '../../shared/db/client.ts';
import { migrate, roleOfUrl } from '../../shared/db/migrate.ts';
import { withTenant } from '../../shared/db/scope.ts';
import { createLogger } from '../../shared/logger.ts';
import { createS3, type S3Context } from '../../shared/s3.ts';
import { connectTemporal } from '../../shared/temporal.ts';
import type { SandboxInfo } from './processes.ts';

export const BENCH_STACK = 'bench';
export const TERMINAL = ['completed', 'completed_with_errors', 'failed', 'cancelled'];

export interface BenchContext {
  env: Record<string, string>;
  config: Config;
  sql: Sql;
  temporal: Connection;
  s3: S3Context;
  adminKey: string;
  /** Set-up call through the in-process app; throws unless the status is expected. */
  call<T>(method: string, url: string, token: string, body?: unknown, expected?: number[]): Promise<T>;
  /** Jobs this run created (`createJob`), so a scenario that fails or times out can cancel its own. */
  created: Array<{ tenant: BenchTenant; jobId: string }>;
  close(stopStack: boolean): Promise<void>;
}

/** Opens the bench context on the dev stack `name` (default `bench`; another name keeps a run apart from others). */
export async function openContext(log: (m: string) => void, name = BENCH_STACK): Promise<BenchContext> {
  const stack = await upStack({ name, log });
  // Keys are kept in the stack's state, so bench runs side by side (the 1M job in the background)
  // can read each other's connections; each run has its own task queue, so no worker takes
  // another run's activities (every worker serves every tenant's namespace).
  const state = await readState(stack.dir);
  state.adminApiKey ??= generateApiKey('test').plaintext;
  state.encryptionKeys ??= `bench1:${randomBytes(32).toString('base64')}`;
  await writeState(stack.dir, state);
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...stack.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    FREIGHT_ADMIN_API_KEY: state.adminApiKey,
    FREIGHT_ENCRYPTION_KEYS: state.encryptionKeys,
    TEMPORAL_TASK_QUEUE: `bench-${randomBytes(4).toString('hex')}`,
    // Benchmarks measure the engine, not the per-tenant API rate limit.
    FREIGHT_API_RATE_LIMIT_PER_MIN: '1000000',
    // The sandboxes listen on ephemeral loopback ports.
    FREIGHT_OUTBOUND_ALLOW_HOSTS: process.env.FREIGHT_OUTBOUND_ALLOW_HOSTS ?? '127.0.0.1:*',
  };
  const config = loadConfig(env);
  const owner = createSql({ url: config.db.migrationUrl, max: 1 });
  try {
    await migrate({ sql: owner, appRole: roleOfUrl(config.db.url), logger: createLogger({ level: 'warn', name: 'migrate' }) });
  } finally {
    await owner.end({ timeout: 5 });
  }
  const sql = createSql({ url: config.db.url, max: 5 });
  const temporal = await connectTemporal(config.temporal);
  const s3 = createS3(config.s3);
  const app = createApp({ config, sql, temporal, s3, logger: createLogger({ level: 'warn', name: 'bench-api' }), secretBox: createSecretBox(config.encryptionKeys) });
  const call = async <T>(method: string, url: string, token: string, body?: unknown, expected = [200, 201]): Promise<T> => {
    const res = await app.request(url, {
      method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!expected.includes(res.status)) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    env, config, sql, temporal, s3, adminKey: config.auth.adminApiKey ?? '', call, created: [],
    async close(stopStack) {
      await sql.end({ timeout: 5 });
      await temporal.close();
      s3.client.destroy();
      if (stopStack) {
        const stopped = await downStack(name, stack.started as ServiceName[]);
        if (stopped.length > 0) log(`stopped ${stopped.join(', ')}`);
      }
    },
  };
}

/** Worker environment: connector budgets to match the sandbox (no limits: effectively unlimited). */
export function workerEnv(ctx: BenchContext, attioWritesPerSec: number | null, extra: Record<string, string> = {}): Record<string, string> {
  const budgets = attioWritesPerSec === null
    ? { FREIGHT_ATTIO_WRITES_PER_SEC: '1000000', FREIGHT_ATTIO_READS_PER_SEC: '1000000', FREIGHT_AFFINITY_REQUESTS_PER_MIN: '100000000' }
    : { FREIGHT_ATTIO_WRITES_PER_SEC: String(attioWritesPerSec), FREIGHT_ATTIO_READS_PER_SEC: '1000', FREIGHT_AFFINITY_REQUESTS_PER_MIN: '1000000' };
  return { ...ctx.env, ...budgets, ...extra };
}

export interface BenchTenant {
  id: string;
  namespace: string;
  key: string;
  sourceId: string;
  targetId: string;
}

/** A tenant with an engineer key and connections to the two sandboxes (its Attio connection with `attioToken`, default the first). */
export async function createTenant(ctx: BenchContext, sandboxes: SandboxInfo, attioToken = sandboxes.attioToken): Promise<BenchTenant> {
  const slug = `bench-${randomBytes(4).toString('hex')}`;
  const tenant = await ctx.call<{ id: string; namespace: string }>('POST', '/v1/tenants', ctx.adminKey, { slug, name: `Bench ${slug}` });
  const { key } = await ctx.call<{ key: string }>('POST', `/v1/tenants/${tenant.id}/api-keys`, ctx.adminKey, { role: 'engineer', name: 'bench' });
  const source = await ctx.call<{ id: string }>('POST', '/v1/connections', key, { name: 'affinity', type: 'affinity', baseUrl: sandboxes.affinityUrl, credentials: { apiKey: sandboxes.affinityKey } });
  const target = await ctx.call<{ id: string }>('POST', '/v1/connections', key, { name: 'attio', type: 'attio', baseUrl: sandboxes.attioUrl, credentials: { apiKey: attioToken } });
  return { id: tenant.id, namespace: tenant.namespace, key, sourceId: source.id, targetId: target.id };
}

export interface JobView {
  id: string;
  status: string;
  counts: Record<string, Record<string, number>>;
}

export function recordsDone(view: JobView): number {
  return Object.values(view.counts ?? {}).reduce((n, byStatus) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
}

export async function createJob(ctx: BenchContext, t: BenchTenant, options: { batchSize: number; concurrency: number }): Promise<JobView> {
  const job = await ctx.call<JobView>('POST', '/v1/jobs', t.key, { sourceConnectionId: t.sourceId, targetConnectionId: t.targetId, ...options });
  ctx.created.push({ tenant: t, jobId: job.id });
  return job;
}

/**
 * Terminates every job of this run that is not finished, workflow and row: a scenario that failed or
 * timed out must not leave a workflow open on the stack. (Not the API's cancel: that is a signal, and
 * the scenario's worker — the only one polling its task queue — is already gone.)
 */
export async function cancelUnfinished(ctx: BenchContext): Promise<number> {
  let cancelled = 0;
  for (const { tenant, jobId } of ctx.created.splice(0)) {
    const [row] = await withTenant(ctx.sql, tenant.id, (tx) => tx<{ status: string }[]>`select status from freight.jobs where id = ${jobId}`);
    if (!row || TERMINAL.includes(row.status)) continue;
    const client = new Client({ connection: ctx.temporal, namespace: tenant.namespace });
    await client.workflow.getHandle(jobWorkflowId(jobId)).terminate('benchmark scenario ended').catch((err: unknown) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    });
    await withTenant(ctx.sql, tenant.id, (tx) => tx`
      update freight.jobs set status = 'cancelled', finished_at = now(), updated_at = now() where id = ${jobId} and status not in ('completed', 'completed_with_errors', 'failed', 'cancelled')`);
    cancelled += 1;
  }
  return cancelled;
}

/**
 * Waits for a job to be terminal. Polls the job's status column only: the API's job view counts the
 * whole record log on every call, which at 100 ms intervals would load PostgreSQL more than the job
 * does. The record counts are read once at the end (and every 10 s for progress when `log` is set).
 */
export async function waitForJob(ctx: BenchContext, t: BenchTenant, jobId: string, o: { timeoutS: number; total?: number; log?: (m: string) => void; pollMs?: number }): Promise<JobView> {
  const started = performance.now();
  const deadline = Date.now() + o.timeoutS * 1000;
  let lastReport = performance.now();
  for (;;) {
    const [row] = await withTenant(ctx.sql, t.id, (tx) => tx<{ status: string }[]>`select status from freight.jobs where id = ${jobId}`);
    if (row && TERMINAL.includes(row.status)) return ctx.call<JobView>('GET', `/v1/jobs/${jobId}`, t.key);
    if (Date.now() > deadline) throw new Error(`job ${jobId} did not finish in ${o.timeoutS} s: ${row?.status}`);
    if (o.log && performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      const view = await ctx.call<JobView>('GET', `/v1/jobs/${jobId}`, t.key);
      o.log(`  ${view.status}: ${recordsDone(view)}${o.total ? `/${o.total}` : ''} records after ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    await new Promise((r) => setTimeout(r, o.pollMs ?? 200));
  }
}

/** Percentile (nearest rank) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}
