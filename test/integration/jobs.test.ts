import { randomUUID } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../shared/db/scope.ts';
import type { Job } from '../../shared/jobs/job-model.ts';
import { createJobWorkflows, SEARCH_ATTRIBUTE_KEYS, type JobWorkflows } from '../../shared/jobs/job-workflows.ts';
import type { MigrationJobInput } from '../../workflows/migration-job/definitions.ts';
import { createTestApp, errorBody, type TestApp } from './support/app.ts';
import {
  auditRows, cleanUpJobs, createConnection, createJob, jobBody, temporalClient, tenantWithConnections, type TenantFixture,
} from './support/jobs.ts';

// Creating jobs through the API on the real stack: validation, idempotency, and the workflow start
// in the tenant's namespace (no worker runs here: the workflow just waits, and is terminated after).
let t: TestApp;
let a: TenantFixture;
let b: TenantFixture;
const fixtures: TenantFixture[] = [];

beforeAll(async () => {
  t = await createTestApp();
  [a, b] = await Promise.all([tenantWithConnections(t), tenantWithConnections(t)]);
  fixtures.push(a, b);
});

afterAll(async () => {
  await cleanUpJobs(t, fixtures);
});

async function expectError(res: Response, status: number, code: string): Promise<{ message: string; details?: unknown }> {
  expect(res.status, await res.clone().text()).toBe(status);
  const error = await errorBody(res);
  expect(error.code).toBe(code);
  return error;
}

const countJobs = (f: TenantFixture) =>
  withTenant(t.ctx.sql, f.tenant.id, async (tx) => (await tx<{ n: number }[]>`select count(*)::int as n from freight.jobs`)[0]?.n);

describe('creating a job', () => {
  it("starts its workflow in the tenant's namespace with the right id, input and search attributes", async () => {
    const job = await createJob(t, a, { objects: ['notes', 'organizations'], batchSize: 250, dryRun: true, metadata: { ticket: 'MIG-1' } });
    expect(job).toMatchObject({
      status: 'pending', namespace: a.tenant.namespace, workflowId: `job-${job.id}`, objects: ['organizations', 'notes'],
      batchSize: 250, concurrency: 4, dryRun: true, metadata: { ticket: 'MIG-1' }, mapping: null, error: null,
      retryPolicy: { maxAttempts: 5, initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 60000, nonRetryable: [] },
      temporalUiUrl: `${t.ctx.config.temporal.uiUrl}/namespaces/${a.tenant.namespace}/workflows/job-${job.id}`,
    });

    const handle = temporalClient(t, a.tenant.namespace).workflow.getHandle(`job-${job.id}`);
    const description = await handle.describe();
    expect(description).toMatchObject({ type: 'migrationJob', taskQueue: t.ctx.config.temporal.taskQueue, status: { name: 'RUNNING' } });
    expect(description.typedSearchAttributes.get(SEARCH_ATTRIBUTE_KEYS.TenantId)).toBe(a.tenant.id);
    expect(description.typedSearchAttributes.get(SEARCH_ATTRIBUTE_KEYS.JobId)).toBe(job.id);
    expect(description.typedSearchAttributes.get(SEARCH_ATTRIBUTE_KEYS.JobStatus)).toBe('pending');
    const history = await handle.fetchHistory();
    const payloads = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    const input = defaultPayloadConverter.fromPayload<MigrationJobInput>(payloads[0] ?? {});
    expect(input).toEqual({
      tenantId: a.tenant.id, jobId: job.id, objects: ['organizations', 'notes'], batchSize: 250, concurrency: 4, dryRun: true,
      retryPolicy: job.retryPolicy,
      // The workflow's bounds come from the API's configuration.
      maxHistoryEvents: t.ctx.config.jobs.maxHistoryEvents, retryWindowMs: t.ctx.config.jobs.retryWindowHours * 3_600_000,
    });
    // The same search attributes are queryable in the namespace's visibility store.
    await expect.poll(async () => (await temporalClient(t, a.tenant.namespace).workflow.count(`JobId = '${job.id}' AND TenantId = '${a.tenant.id}'`)).count, { timeout: 10_000 }).toBe(1);

    const audit = await auditRows(t, a.tenant.id, job.id);
    expect(audit).toEqual([expect.objectContaining({ action: 'job.create', actor_role: 'engineer' })]);
    expect(audit[0]?.details).toMatchObject({ sourceConnectionId: a.affinityId, targetConnectionId: a.attioId, objects: ['organizations', 'notes'] });
    await handle.terminate('test done');
  });

  it('keeps a valid mapping override and the retry policy as given', async () => {
    const job = await createJob(t, a, {
      mapping: { person: { includeInternal: false } },
      retryPolicy: { maxAttempts: 3, nonRetryable: ['validation', 'auth'] },
    });
    expect(job.mapping).toEqual({ person: { includeInternal: false } });
    expect(job.retryPolicy).toEqual({ maxAttempts: 3, initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 60000, nonRetryable: ['validation', 'auth'] });
  });

  it('rejects invalid requests with 400 and creates nothing', async () => {
    const before = await countJobs(a);
    const bad: Record<string, unknown>[] = [
      jobBody(a, { objects: ['deals'] }),
      jobBody(a, { objects: [] }),
      jobBody(a, { batchSize: 0 }),
      jobBody(a, { batchSize: 1001 }),
      jobBody(a, { concurrency: 65 }),
      jobBody(a, { unknownField: 1 }),
      jobBody(a, { retryPolicy: { maxAttempts: 0 } }),
      jobBody(a, { retryPolicy: { nonRetryable: ['explosion'] } }),
      jobBody(a, { metadata: { blob: 'x'.repeat(9000) } }),
      jobBody(a, { mapping: { version: 2 } }),
      jobBody(a, { sourceConnectionId: 'not-a-uuid' }),
      { sourceConnectionId: a.affinityId },
      // Wrong connection types: Affinity is the source, Attio the target.
      jobBody(a, { sourceConnectionId: a.attioId, targetConnectionId: a.affinityId }),
      jobBody(a, { targetConnectionId: a.affinityId }),
    ];
    for (const body of bad) {
      await expectError(await t.call('POST', '/v1/jobs', { token: a.engineer, body }), 400, 'validation_failed');
    }
    expect(await countJobs(a)).toBe(before);
  });

  it('checks objects and phases against the connections\' pair (422) and expands phases to their objects', async () => {
    const before = await countJobs(a);
    const unknown = await expectError(await t.call('POST', '/v1/jobs', { token: a.engineer, body: jobBody(a, { phases: ['templates'] }) }), 422, 'not_in_pair');
    expect(unknown.details).toEqual([{ path: ['phases', 0], message: 'one of records, lists, notes (the Affinity → Attio phases)' }]);
    const other = await expectError(await t.call('POST', '/v1/jobs', { token: a.engineer, body: jobBody(a, { objects: ['users', 'persons'] }) }), 422, 'not_in_pair');
    expect(other.details).toEqual([{ path: ['objects', 0], message: 'one of organizations, persons, opportunities, lists, notes (the Affinity → Attio object kinds)' }]);
    const shapeless = await expectError(await t.call('POST', '/v1/jobs', { token: a.engineer, body: jobBody(a, { phases: [' '] }) }), 400, 'validation_failed');
    expect(shapeless.details).toEqual([expect.objectContaining({ path: ['phases', 0] })]);
    expect(await countJobs(a)).toBe(before);
    const both = await createJob(t, a, { objects: ['persons'], phases: ['notes'] });
    expect(both.objects).toEqual(['persons', 'notes']);
    const job = await createJob(t, a, { phases: ['notes', 'records'] });
    expect(job.objects).toEqual(['organizations', 'persons', 'opportunities', 'notes']);
  });

  it('keeps the connection types as data filled by the migrate step, enforced by a foreign key', async () => {
    const types = await t.ctx.ownerSql<{ type: string; display_name: string }[]>`select type, display_name from freight.connection_types order by type`;
    expect(types).toEqual(expect.arrayContaining([{ type: 'affinity', display_name: 'Affinity' }, { type: 'attio', display_name: 'Attio' }]));
    await expect(withTenant(t.ctx.sql, a.tenant.id, (tx) => tx`update freight.connections set type = 'nope' where id = ${a.affinityId}`))
      .rejects.toThrow(/foreign key/);
  });

  it("answers 404 for unknown, deleted or other tenants' connections", async () => {
    const before = await countJobs(a);
    await expectError(await t.call('POST', '/v1/jobs', { token: a.engineer, body: jobBody(a, { sourceConnectionId: randomUUID() }) }), 404, 'not_found');
    await expectError(await t.call('POST', '/v1/jobs', { token: a.engineer, body: jobBody(a, { sourceConnectionId: b.affinityId }) }), 404, 'not_found');
    await expectError(await t.call('POST', '/v1/jobs', { token: a.engineer, body: jobBody(a, { targetConnectionId: b.attioId }) }), 404, 'not_found');
    const doomed = await createConnection(t, a.engineer, 'attio');
    expect((await t.call('DELETE', `/v1/connections/${doomed.id}`, { token: a.engineer })).status).toBe(204);
    await expectError(await t.call('POST', '/v1/jobs', { token: a.engineer, body: jobBody(a, { targetConnectionId: doomed.id }) }), 404, 'not_found');
    expect(await countJobs(a)).toBe(before);
  });

  it('is refused to viewers and admins', async () => {
    await expectError(await t.call('POST', '/v1/jobs', { token: a.viewer, body: jobBody(a) }), 403, 'forbidden');
    await expectError(await t.call('POST', '/v1/jobs', { body: jobBody(a) }), 403, 'forbidden');
  });
});

describe('Idempotency-Key', () => {
  it('returns the existing job for the same body and 409 for a different one', async () => {
    const key = `create-${randomUUID()}`;
    const first = await createJob(t, a, { objects: ['persons'] }, { 'idempotency-key': key });
    const again = await t.call('POST', '/v1/jobs', { token: a.engineer, body: jobBody(a, { objects: ['persons'], batchSize: 100 }), headers: { 'idempotency-key': key } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as Job).id).toBe(first.id);
    const different = await t.call('POST', '/v1/jobs', { token: a.engineer, body: jobBody(a, { objects: ['notes'] }), headers: { 'idempotency-key': key } });
    const error = await expectError(different, 409, 'conflict');
    expect(error.details).toEqual({ jobId: first.id });
    // Keys are per tenant.
    const other = await createJob(t, b, { objects: ['persons'] }, { 'idempotency-key': key });
    expect(other.id).not.toBe(first.id);
    // Without a key every request is a new job.
    const [x, y] = [await createJob(t, a), await createJob(t, a)];
    expect(x.id).not.toBe(y.id);
    expect((await auditRows(t, a.tenant.id, first.id)).map((r) => r.action)).toEqual(['job.create']);
  });

  it('lets a repeat start the workflow that Temporal could not start the first time', async () => {
    let failNext = true;
    const real = createJobWorkflows({ connection: t.ctx.temporal, taskQueue: t.ctx.config.temporal.taskQueue });
    const flaky: JobWorkflows = {
      ...real,
      start: (namespace, input) => {
        if (!failNext) return real.start(namespace, input);
        failNext = false;
        return Promise.reject(Object.assign(new Error('14 UNAVAILABLE: connect ECONNREFUSED 10.0.0.1:7233'), { code: 14 }));
      },
    };
    const app = await createTestApp({ jobWorkflows: flaky });
    const key = `outage-${randomUUID()}`;
    const res = await app.call('POST', '/v1/jobs', { token: a.engineer, body: jobBody(a), headers: { 'idempotency-key': key } });
    const error = await expectError(res, 503, 'dependency_unavailable');
    const { jobId } = error.details as { jobId: string };
    expect(error.message).not.toContain('10.0.0.1');
    const [row] = await withTenant(t.ctx.sql, a.tenant.id, (tx) => tx<{ status: string; error: string | null }[]>`select status, error from freight.jobs where id = ${jobId}`);
    expect(row).toMatchObject({ status: 'pending', error: expect.stringMatching(/Idempotency-Key/) });
    const stored = (await (await app.call('GET', `/v1/jobs/${jobId}`, { token: a.viewer })).json()) as Job;
    expect(stored.error).not.toContain('10.0.0.1');

    const retried = await app.call('POST', '/v1/jobs', { token: a.engineer, body: jobBody(a), headers: { 'idempotency-key': key } });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ id: jobId, status: 'pending', error: null });
    const description = await temporalClient(t, a.tenant.namespace).workflow.getHandle(`job-${jobId}`).describe();
    expect(description.status.name).toBe('RUNNING');
    // Repeating once more finds the workflow already there: still fine.
    expect((await app.call('POST', '/v1/jobs', { token: a.engineer, body: jobBody(a), headers: { 'idempotency-key': key } })).status).toBe(200);
  });
});
