import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asTenant, createEngineTenant, createJob, startSandboxes, startWorkerProcess, TERMINAL, testTaskQueue, waitForJob,
  type EngineTenant, type JobView, type Sandboxes, type WorkerProcess,
} from '../helpers/engine.ts';
import { parsePrometheusText, sumSamples, type PromFamily } from '../helpers/prom-text.ts';
import { createTestApp } from './support/app.ts';
import { jobBody, tenantWithConnections } from './support/jobs.ts';

// One small real job (API → Temporal → production worker process → sandboxes) feeds every check:
// the API's and the worker's /metrics, the Temporal SDK exporter, /ready, /v1/stats, /v1/admin/usage.
const QUEUE = testTaskQueue('ops-metrics');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function scrape(url: string): Promise<Map<string, PromFamily>> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return parsePrometheusText(await res.text());
}

let sandboxes: Sandboxes;
let e: EngineTenant;
let worker: WorkerProcess;
let workerPort: number;
let temporalPort: number;
let job: JobView;
let slug: string;

/** The job's record counts summed over objects for the given statuses. */
const countOf = (...statuses: string[]): number =>
  Object.values(job.counts).reduce((n, c) => n + statuses.reduce((m, st) => m + (c[st] ?? 0), 0), 0);

beforeAll(async () => {
  sandboxes = await startSandboxes({ seed: 'ops-metrics', size: 300, poisonRate: 0.02 });
  e = await createEngineTenant(sandboxes, QUEUE);
  [workerPort, temporalPort] = [await freePort(), await freePort()];
  worker = startWorkerProcess(QUEUE, {
    FREIGHT_WORKER_METRICS_PORT: String(workerPort), FREIGHT_TEMPORAL_METRICS_PORT: String(temporalPort), FREIGHT_WORKER_HEARTBEAT_MS: '1000',
  });
  const created = await createJob(e, { batchSize: 50, concurrency: 2 });
  job = await waitForJob(e, created.id, (j) => TERMINAL.includes(j.status));
  const [tenant] = await asTenant(e, (tx) => tx<{ slug: string }[]>`select slug from freight.tenants where id = ${e.tenantId}`);
  slug = tenant?.slug ?? '';
});

afterAll(async () => {
  await worker?.kill();
  await sandboxes?.affinity.close();
  await sandboxes?.attio.close();
});

describe('GET /metrics (API)', () => {
  it('is valid Prometheus text and freight_records_processed_total equals the job counts per object and status', async () => {
    expect(['completed', 'completed_with_errors']).toContain(job.status);
    const res = await e.t.app.request('/metrics');
    expect(res.status).toBe(200);
    const families = parsePrometheusText(await res.text());
    expect(families.get('freight_records_processed_total')?.type).toBe('counter');
    expect(families.get('freight_api_request_duration_seconds')?.type).toBe('histogram');
    expect(families.get('freight_api_errors_5xx_total')?.type).toBe('counter');
    expect(families.has('freight_jobs_in_flight')).toBe(true);
    expect(families.has('freight_batches_in_flight')).toBe(true);

    let compared = 0;
    for (const [object, byStatus] of Object.entries(job.counts)) {
      for (const [status, count] of Object.entries(byStatus)) {
        expect(sumSamples(families, 'freight_records_processed_total', { tenant: e.tenantId, object, status }), `${object}/${status}`).toBe(count);
        compared += count;
      }
    }
    expect(compared).toBeGreaterThan(300);
    // The job is finished: nothing of this tenant is in flight any more.
    expect(sumSamples(families, 'freight_jobs_in_flight', { tenant: e.tenantId })).toBe(0);
    // Tenants are labelled by id: a scrape does not list customers by slug or name.
    expect(await (await e.t.app.request('/metrics')).text()).not.toContain(slug);
    // The requests this test's tenant made are in the latency histogram under their route templates.
    expect(sumSamples(families, 'freight_api_request_duration_seconds_count', { method: 'GET', route: '/v1/jobs/:jobId', status: '200' })).toBeGreaterThan(0);
    expect(sumSamples(families, 'freight_api_request_duration_seconds_count', { method: 'POST', route: '/v1/jobs', status: '201' })).toBe(1);
  });

  it('counts 5xx answers by route template', async () => {
    // Temporal "down" for this app only: creating a job answers 503 (the job stays pending, named in the error).
    const down = async (): Promise<never> => { throw new Error('temporal unavailable (simulated)'); };
    const t = await createTestApp({ jobWorkflows: { start: down, startRun: down, signal: down, requestRetry: down, progress: async () => undefined } });
    const f = await tenantWithConnections(t);
    const res = await t.call('POST', '/v1/jobs', { token: f.engineer, body: jobBody(f) });
    expect(res.status).toBe(503);
    const families = parsePrometheusText(await (await t.app.request('/metrics')).text());
    expect(sumSamples(families, 'freight_api_errors_5xx_total', { method: 'POST', route: '/v1/jobs' })).toBe(1);
    expect(sumSamples(families, 'freight_api_request_duration_seconds_count', { method: 'POST', route: '/v1/jobs', status: '503' })).toBe(1);
  });

  it('is protected by FREIGHT_METRICS_TOKEN when set', async () => {
    const token = 'metrics-token-0123456789';
    const t = await createTestApp({ config: { metrics: { ...e.t.ctx.config.metrics, token } } });
    expect((await t.app.request('/metrics')).status).toBe(401);
    expect((await t.app.request('/metrics', { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const ok = await t.app.request('/metrics', { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    parsePrometheusText(await ok.text());
  });

  it('is closed in production without FREIGHT_METRICS_TOKEN, and open to the token in production', async () => {
    const closed = await createTestApp({ config: { env: 'production', metrics: { ...e.t.ctx.config.metrics, token: undefined } } });
    const res = await closed.app.request('/metrics');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/FREIGHT_METRICS_TOKEN/) });
    const token = 'metrics-token-prod-0123456789';
    const open = await createTestApp({ config: { env: 'production', metrics: { ...e.t.ctx.config.metrics, token } } });
    expect((await open.app.request('/metrics')).status).toBe(401);
    expect((await open.app.request('/metrics', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });
});

describe("the worker's metrics", () => {
  it('serves its own /metrics with batch attempts, latency and records written', async () => {
    const families = await scrape(`http://127.0.0.1:${workerPort}/metrics`);
    expect(sumSamples(families, 'freight_batch_attempts_total', { tenant: e.tenantId, activity: 'load' })).toBeGreaterThan(0);
    expect(sumSamples(families, 'freight_batch_duration_seconds_count', { tenant: e.tenantId, activity: 'load', outcome: 'ok' })).toBeGreaterThan(0);
    const written = sumSamples(families, 'freight_records_written_total', { tenant: e.tenantId });
    const logged = countOf('succeeded', 'failed', 'skipped');
    // Each record's outcome is counted at least once (a retried batch counts its records again).
    expect(written).toBeGreaterThanOrEqual(logged);
    expect(families.has('freight_rate_limit_waits_total')).toBe(true);
    expect(families.has('freight_worker_process_resident_memory_bytes')).toBe(true);
    // The process-wide budgets and the namespace cap (this worker's, from test/helpers/engine.ts).
    expect(sumSamples(families, 'freight_worker_task_slots', { type: 'activity', state: 'capacity' })).toBe(400);
    expect(sumSamples(families, 'freight_worker_namespaces', { state: 'cap' })).toBe(100);
  });

  it("exports the Temporal SDK's metrics on FREIGHT_TEMPORAL_METRICS_PORT", async () => {
    const res = await fetch(`http://127.0.0.1:${temporalPort}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^temporal_activity_schedule_to_start_latency/m);
    // Slots in use; what is available only the process-wide supplier knows (freight_worker_task_slots).
    expect(text).toMatch(/^temporal_worker_task_slots_used/m);
  });
});

describe('worker liveness, /ready, /v1/stats and /v1/admin/usage', () => {
  it('reports the live worker in /ready without making readiness depend on it', async () => {
    const res = await e.t.app.request('/ready');
    const body = (await res.json()) as { status: string; workers: { live: number; lastSeenAt: string | null } | null };
    expect(res.status).toBe(200);
    expect(body.workers?.live).toBeGreaterThanOrEqual(1);
    expect(Date.now() - Date.parse(body.workers?.lastSeenAt ?? '')).toBeLessThan(30_000);
  });

  it("gives the tenant its stats, computed from the job's record log", async () => {
    const res = await e.t.call('GET', '/v1/stats', { token: e.key });
    expect(res.status).toBe(200);
    const stats = (await res.json()) as {
      records: { total: number; succeeded: number; failed: number; skipped: number };
      jobs: { total: number; byStatus: Record<string, number> }; failureRate: number; recordsPerMinuteWindow: number;
      recordsPerMinuteCompletedJobs: number | null; averageRetriesPerJob: number;
    };
    const sum = (st: string): number => countOf(st);
    expect(stats.records).toMatchObject({ succeeded: sum('succeeded'), failed: sum('failed'), skipped: sum('skipped') });
    expect(stats.jobs).toEqual({ total: 1, byStatus: { [job.status]: 1 } });
    const finished = sum('succeeded') + sum('failed') + sum('skipped');
    expect(stats.failureRate).toBeCloseTo(sum('failed') / finished, 3);
    expect(stats.recordsPerMinuteWindow).toBeCloseTo(finished / 60, 1);
    expect(stats.recordsPerMinuteCompletedJobs).toBeGreaterThan(0);
    expect(stats.averageRetriesPerJob).toBeGreaterThanOrEqual(0);
    // Admins act across tenants: /v1/stats is for a tenant's own callers.
    expect((await e.t.call('GET', '/v1/stats')).status).toBe(403);
  });

  it('lists every tenant and the workers (live within 30 s; a stopped worker at once not live)', async () => {
    const usage = async () => {
      const res = await e.t.call('GET', '/v1/admin/usage');
      expect(res.status).toBe(200);
      return (await res.json()) as {
        tenants: Array<{ tenantId: string; slug: string; records: { total: number } }>;
        workers: Array<{ workerId: string; taskQueue: string; live: boolean; pid: number }>;
      };
    };
    const before = await usage();
    const mine = before.tenants.find((t) => t.tenantId === e.tenantId);
    expect(mine?.slug).toBe(slug);
    expect(mine?.records.total).toBe(countOf('succeeded', 'failed', 'skipped', 'retrying'));
    const ours = before.workers.filter((w) => w.taskQueue === QUEUE);
    expect(ours).toHaveLength(1);
    expect(ours[0]?.live).toBe(true);
    expect((await e.t.call('GET', '/v1/admin/usage', { token: e.key })).status).toBe(403);

    await worker.kill('SIGTERM');
    const after = await usage();
    expect(after.workers.find((w) => w.workerId === ours[0]?.workerId)?.live).toBe(false);
  });
});
