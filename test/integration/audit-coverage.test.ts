import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAdminScope, withTenant } from '../../shared/db/scope.ts';
import { temporalConnectionOptions } from '../../shared/temporal.ts';
import { createTestApp, uniqueSlug, type TestApp } from './support/app.ts';
import { cleanUpJobs, createConnection, type TenantFixture } from './support/jobs.ts';

// Acceptance: "every state-changing call has an audit row with actor, tenant, action, target, time
// and request id". This test walks the OpenAPI document: every mutating operation (POST, PUT, PATCH,
// DELETE) must have a scenario below — a new route without one fails the test — and every scenario's
// successful call must have left an audit row whose request_id is the response's x-request-id.
const STUB = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'stub-job-workflow.ts');
const QUIET = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

interface Caller { token: string; actorType: string; actorId: string }
interface Expected { action: string; tenantId: string | null; targetType: string; targetId: string }
interface Scenario {
  /** `METHOD /path` as in the OpenAPI document. */
  operation: string;
  run(): Promise<{ res: Response; caller: Caller; expected: Expected }>;
}

interface AuditRow {
  tenant_id: string | null; actor_type: string; actor_id: string; action: string;
  target_type: string | null; target_id: string | null; request_id: string | null; occurred_at: Date;
}

let t: TestApp;
let connection: NativeConnection | undefined;
let worker: Worker | undefined;
let running: Promise<void> | undefined;
const admin = (): Caller => ({ token: t.adminKey, actorType: 'admin_env', actorId: 'bootstrap-admin-key' });

// State shared by the scenarios, filled in order.
const s = {
  tenantId: '', namespace: '', engineer: undefined as Caller | undefined, spareKeyId: '',
  sourceId: '', targetId: '', spareConnectionId: '', jobId: '', webhookId: '', scheduleId: '',
};

async function call(method: string, url: string, caller: Caller, body?: unknown): Promise<Response> {
  return t.call(method, url, { token: caller.token, ...(body !== undefined ? { body } : {}) });
}

async function json<T>(res: Response, status: number): Promise<T> {
  expect(res.status, `${res.url} ${await res.clone().text()}`).toBe(status);
  return (await res.json()) as T;
}

const engineer = (): Caller => {
  if (!s.engineer) throw new Error('scenario order: no engineer key yet');
  return s.engineer;
};

const SCENARIOS: Scenario[] = [
  {
    operation: 'POST /v1/tenants',
    async run() {
      const res = await call('POST', '/v1/tenants', admin(), { slug: uniqueSlug('aud'), name: 'Audit coverage' });
      const tenant = await json<{ id: string; namespace: string }>(res.clone(), 201);
      s.tenantId = tenant.id;
      s.namespace = tenant.namespace;
      return { res, caller: admin(), expected: { action: 'tenant.create', tenantId: tenant.id, targetType: 'tenant', targetId: tenant.id } };
    },
  },
  {
    operation: 'POST /v1/tenants/{tenantId}/api-keys',
    async run() {
      const res = await call('POST', `/v1/tenants/${s.tenantId}/api-keys`, admin(), { role: 'engineer', name: 'audit engineer' });
      const key = await json<{ id: string; key: string }>(res.clone(), 201);
      s.engineer = { token: key.key, actorType: 'api_key', actorId: key.id };
      const spare = await json<{ id: string }>(await call('POST', `/v1/tenants/${s.tenantId}/api-keys`, admin(), { role: 'viewer', name: 'spare' }), 201);
      s.spareKeyId = spare.id;
      return { res, caller: admin(), expected: { action: 'api_key.create', tenantId: s.tenantId, targetType: 'api_key', targetId: key.id } };
    },
  },
  {
    operation: 'POST /v1/connections',
    async run() {
      const body = { name: 'source', type: 'affinity', baseUrl: 'http://127.0.0.1:9/affinity', credentials: { apiKey: 'sk-audit-coverage' } };
      const res = await call('POST', '/v1/connections', engineer(), body);
      const created = await json<{ id: string }>(res.clone(), 201);
      s.sourceId = created.id;
      s.targetId = (await createConnection(t, engineer().token, 'attio')).id;
      s.spareConnectionId = (await createConnection(t, engineer().token, 'attio')).id;
      return { res, caller: engineer(), expected: { action: 'connection.create', tenantId: s.tenantId, targetType: 'connection', targetId: created.id } };
    },
  },
  {
    operation: 'POST /v1/connections/{connectionId}/test',
    async run() {
      // Nothing listens on 127.0.0.1:9: the check answers 200 with an `error` item, and is audited all the same.
      const res = await call('POST', `/v1/connections/${s.sourceId}/test`, engineer());
      await json(res.clone(), 200);
      return { res, caller: engineer(), expected: { action: 'connection.test', tenantId: s.tenantId, targetType: 'connection', targetId: s.sourceId } };
    },
  },
  {
    operation: 'POST /v1/plans',
    async run() {
      // Changes nothing in Freight, but calls both vendors with the tenant's credentials: audited like a connection test.
      const res = await call('POST', '/v1/plans', engineer(), { sourceConnectionId: s.sourceId, targetConnectionId: s.targetId });
      await json(res.clone(), 200);
      return { res, caller: engineer(), expected: { action: 'job.plan', tenantId: s.tenantId, targetType: 'connection', targetId: s.sourceId } };
    },
  },
  {
    operation: 'POST /v1/jobs',
    async run() {
      const res = await call('POST', '/v1/jobs', engineer(), { sourceConnectionId: s.sourceId, targetConnectionId: s.targetId });
      s.jobId = (await json<{ id: string }>(res.clone(), 201)).id;
      return { res, caller: engineer(), expected: { action: 'job.create', tenantId: s.tenantId, targetType: 'job', targetId: s.jobId } };
    },
  },
  {
    operation: 'POST /v1/jobs/{jobId}/retry',
    async run() {
      const res = await call('POST', `/v1/jobs/${s.jobId}/retry`, engineer(), { scope: 'failed-batches' });
      await json(res.clone(), 200);
      return { res, caller: engineer(), expected: { action: 'job.retry', tenantId: s.tenantId, targetType: 'job', targetId: s.jobId } };
    },
  },
  {
    operation: 'POST /v1/jobs/{jobId}/batches/{batchId}/retry',
    async run() {
      await withTenant(t.ctx.ownerSql, s.tenantId, (tx) => tx`
        insert into freight.job_batches (tenant_id, job_id, id, object, seq, status, record_count, failed, attempts)
        values (${s.tenantId}, ${s.jobId}, 'persons-000001', 'persons', 1, 'failed', 5, 5, 3)`);
      const res = await call('POST', `/v1/jobs/${s.jobId}/batches/persons-000001/retry`, engineer());
      await json(res.clone(), 200);
      return { res, caller: engineer(), expected: { action: 'job.batch.retry', tenantId: s.tenantId, targetType: 'job', targetId: s.jobId } };
    },
  },
  ...(['pause', 'resume', 'cancel'] as const).map((kind): Scenario => ({
    operation: `POST /v1/jobs/{jobId}/${kind}`,
    async run() {
      const res = await call('POST', `/v1/jobs/${s.jobId}/${kind}`, engineer(), kind === 'cancel' ? { reason: 'audit coverage' } : undefined);
      await json(res.clone(), 202);
      return { res, caller: engineer(), expected: { action: `job.${kind}`, tenantId: s.tenantId, targetType: 'job', targetId: s.jobId } };
    },
  })),
  {
    operation: 'POST /v1/jobs/{jobId}/reconcile',
    async run() {
      // A finished job can be reconciled (the stand-in workflow does not settle the cancel above).
      await withTenant(t.ctx.ownerSql, s.tenantId, (tx) => tx`update freight.jobs set status = 'completed' where id = ${s.jobId}`);
      const res = await call('POST', `/v1/jobs/${s.jobId}/reconcile`, engineer());
      await json(res.clone(), 202);
      return { res, caller: engineer(), expected: { action: 'job.reconcile', tenantId: s.tenantId, targetType: 'job', targetId: s.jobId } };
    },
  },
  {
    operation: 'POST /v1/schedules',
    async run() {
      // The job was set completed above: a delta schedule can follow it (a real Temporal schedule, paused at once below).
      const res = await call('POST', '/v1/schedules', engineer(), { follows: s.jobId, every: '6h' });
      s.scheduleId = (await json<{ id: string }>(res.clone(), 201)).id;
      return { res, caller: engineer(), expected: { action: 'schedule.create', tenantId: s.tenantId, targetType: 'schedule', targetId: s.scheduleId } };
    },
  },
  ...(['pause', 'unpause'] as const).map((kind): Scenario => ({
    operation: `POST /v1/schedules/{scheduleId}/${kind}`,
    async run() {
      const res = await call('POST', `/v1/schedules/${s.scheduleId}/${kind}`, engineer());
      await json(res.clone(), 200);
      return { res, caller: engineer(), expected: { action: `schedule.${kind}`, tenantId: s.tenantId, targetType: 'schedule', targetId: s.scheduleId } };
    },
  })),
  {
    operation: 'DELETE /v1/schedules/{scheduleId}',
    async run() {
      const res = await call('DELETE', `/v1/schedules/${s.scheduleId}`, engineer());
      expect(res.status).toBe(204);
      return { res, caller: engineer(), expected: { action: 'schedule.delete', tenantId: s.tenantId, targetType: 'schedule', targetId: s.scheduleId } };
    },
  },
  {
    operation: 'POST /v1/jobs/{jobId}/undo',
    async run() {
      // The job is finished (the reconcile scenario above settled it): its undo is a new job, audited on the one it takes back.
      const res = await call('POST', `/v1/jobs/${s.jobId}/undo`, engineer(), { dryRun: true });
      await json(res.clone(), 201);
      return { res, caller: engineer(), expected: { action: 'job.undo', tenantId: s.tenantId, targetType: 'job', targetId: s.jobId } };
    },
  },
  {
    operation: 'POST /v1/webhooks',
    async run() {
      const res = await call('POST', '/v1/webhooks', engineer(), { url: 'http://127.0.0.1:9/hook', events: ['job.status_changed'] });
      s.webhookId = (await json<{ id: string }>(res.clone(), 201)).id;
      return { res, caller: engineer(), expected: { action: 'webhook.create', tenantId: s.tenantId, targetType: 'webhook', targetId: s.webhookId } };
    },
  },
  {
    operation: 'POST /v1/webhooks/{webhookId}/test',
    async run() {
      const res = await call('POST', `/v1/webhooks/${s.webhookId}/test`, engineer());
      await json(res.clone(), 202);
      return { res, caller: engineer(), expected: { action: 'webhook.test', tenantId: s.tenantId, targetType: 'webhook', targetId: s.webhookId } };
    },
  },
  {
    operation: 'DELETE /v1/webhooks/{webhookId}',
    async run() {
      const res = await call('DELETE', `/v1/webhooks/${s.webhookId}`, engineer());
      expect(res.status).toBe(204);
      return { res, caller: engineer(), expected: { action: 'webhook.delete', tenantId: s.tenantId, targetType: 'webhook', targetId: s.webhookId } };
    },
  },
  {
    operation: 'PATCH /v1/connections/{connectionId}',
    async run() {
      const res = await call('PATCH', `/v1/connections/${s.spareConnectionId}`, engineer(), { credentials: { apiKey: 'rotated-key' } });
      await json(res.clone(), 200);
      return { res, caller: engineer(), expected: { action: 'connection.update', tenantId: s.tenantId, targetType: 'connection', targetId: s.spareConnectionId } };
    },
  },
  {
    operation: 'DELETE /v1/connections/{connectionId}',
    async run() {
      const res = await call('DELETE', `/v1/connections/${s.spareConnectionId}`, engineer());
      expect(res.status).toBe(204);
      return { res, caller: engineer(), expected: { action: 'connection.delete', tenantId: s.tenantId, targetType: 'connection', targetId: s.spareConnectionId } };
    },
  },
  {
    operation: 'DELETE /v1/api-keys/{keyId}',
    async run() {
      const res = await call('DELETE', `/v1/api-keys/${s.spareKeyId}`, engineer());
      await json(res.clone(), 200);
      return { res, caller: engineer(), expected: { action: 'api_key.revoke', tenantId: s.tenantId, targetType: 'api_key', targetId: s.spareKeyId } };
    },
  },
];

async function mutatingOperations(): Promise<string[]> {
  const doc = (await (await t.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([p, ops]) =>
    Object.keys(ops).filter((m) => ['post', 'put', 'patch', 'delete'].includes(m)).map((m) => `${m.toUpperCase()} ${p}`)).sort();
}

async function auditRowsFor(requestId: string): Promise<AuditRow[]> {
  return withAdminScope(t.ctx.sql, { actor: 'test', reason: 'audit coverage', audit: false }, (tx) => tx<AuditRow[]>`
    select tenant_id, actor_type, actor_id, action, target_type, target_id, request_id, occurred_at
    from freight.audit_events where request_id = ${requestId} order by id`);
}

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  if (s.tenantId) await cleanUpJobs(t, [{ tenant: { id: s.tenantId, namespace: s.namespace } } as unknown as TenantFixture]).catch(() => undefined);
  worker?.shutdown();
  await running;
  await connection?.close();
});

describe('audit coverage of every mutating operation in the OpenAPI document', () => {
  it('has a scenario for each mutating operation', async () => {
    const documented = await mutatingOperations();
    const covered = SCENARIOS.map((sc) => sc.operation).sort();
    expect(documented, 'a mutating route was added or removed: add its scenario here so its audit row is proven').toEqual(covered);
  });

  it('finds, for every successful call, an audit row with actor, tenant, action, target, time and request id', async () => {
    const started = Date.now();
    for (const scenario of SCENARIOS) {
      // Retries are workflow updates: a real Worker running the stand-in workflow answers them.
      if (scenario.operation === 'POST /v1/jobs/{jobId}/retry' && !worker) {
        connection = await NativeConnection.connect(await temporalConnectionOptions(t.ctx.config.temporal));
        worker = await Worker.create({
          connection, namespace: s.namespace, taskQueue: t.ctx.config.temporal.taskQueue,
          workflowBundle: await bundleWorkflowCode({ workflowsPath: STUB, logger: QUIET }), shutdownGraceTime: '1s',
        });
        running = worker.run();
      }
      const { res, caller, expected } = await scenario.run();
      expect(res.status, scenario.operation).toBeLessThan(300);
      const requestId = res.headers.get('x-request-id');
      expect(requestId, scenario.operation).toBeTruthy();
      const rows = await auditRowsFor(requestId ?? '');
      const row = rows.find((r) => r.action === expected.action);
      expect(row, `${scenario.operation}: rows ${JSON.stringify(rows)}`).toBeDefined();
      expect(row, scenario.operation).toMatchObject({
        tenant_id: expected.tenantId, actor_type: caller.actorType, actor_id: caller.actorId,
        target_type: expected.targetType, target_id: expected.targetId, request_id: requestId,
      });
      const at = row?.occurred_at.getTime() ?? 0;
      expect(at, scenario.operation).toBeGreaterThanOrEqual(started - 5_000);
      expect(at, scenario.operation).toBeLessThanOrEqual(Date.now() + 5_000);
    }
  });
});
