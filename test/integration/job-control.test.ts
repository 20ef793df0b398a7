import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../shared/db/scope.ts';
import { createJobWorkflows } from '../../shared/jobs/job-workflows.ts';
import { createTestApp, errorBody, type TestApp } from './support/app.ts';
import { auditRows, cleanUpJobs, createJob, insertJob, temporalClient, tenantWithConnections, type TenantFixture } from './support/jobs.ts';

// Cancel, pause, resume and retries through the API on the real Temporal server, with no worker:
// signals are accepted (they queue in the workflow's history); updates need a worker to answer, so
// here they show the paths that do not (unknown batch, closed workflow, nobody answering in time).
let t: TestApp;
let a: TenantFixture;
let b: TenantFixture;

beforeAll(async () => {
  t = await createTestApp();
  [a, b] = await Promise.all([tenantWithConnections(t), tenantWithConnections(t)]);
});

afterAll(async () => {
  await cleanUpJobs(t, [a, b]);
});

async function expectError(res: Response, status: number, code: string): Promise<{ message: string; details?: unknown }> {
  expect(res.status, await res.clone().text()).toBe(status);
  const error = await errorBody(res);
  expect(error.code).toBe(code);
  return error;
}

async function signalNames(namespace: string, workflowId: string): Promise<string[]> {
  const history = await temporalClient(t, namespace).workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((e) => (e.workflowExecutionSignaledEventAttributes?.signalName ? [e.workflowExecutionSignaledEventAttributes.signalName] : []));
}

async function insertBatch(f: TenantFixture, jobId: string, id: string, status = 'failed'): Promise<void> {
  await withTenant(t.ctx.ownerSql, f.tenant.id, (tx) => tx`
    insert into freight.job_batches (tenant_id, job_id, id, object, seq, status, record_count, failed, attempts, error_kind, error_message)
    values (${f.tenant.id}, ${jobId}, ${id}, ${id.split('-')[0] ?? 'persons'}, ${Number(id.split('-')[1] ?? 0)}, ${status}, 10, 10, 5, 'transient', 'HTTP 503')`);
}

describe('signals', () => {
  it('pause, resume and cancel are sent to the workflow (queued without a worker), answered 202 and audited', async () => {
    const job = await createJob(t, a);
    const pause = await t.call('POST', `/v1/jobs/${job.id}/pause`, { token: a.engineer });
    expect(pause.status, await pause.clone().text()).toBe(202);
    expect(await pause.json()).toEqual({ id: job.id, status: 'pending', requested: 'pause' });
    expect((await t.call('POST', `/v1/jobs/${job.id}/resume`, { token: a.engineer })).status).toBe(202);
    const cancel = await t.call('POST', `/v1/jobs/${job.id}/cancel`, { token: a.engineer, body: { reason: 'wrong source workspace' } });
    expect(cancel.status).toBe(202);
    expect(await cancel.json()).toMatchObject({ requested: 'cancel' });

    expect(await signalNames(a.tenant.namespace, job.workflowId)).toEqual(['pause', 'resume', 'cancel']);
    // Besides the signal with the reason, Temporal's own cancellation, so the workflow can close Canceled.
    const history = await temporalClient(t, a.tenant.namespace).workflow.getHandle(job.workflowId).fetchHistory();
    expect((history.events ?? []).some((e) => e.workflowExecutionCancelRequestedEventAttributes)).toBe(true);
    const audit = await auditRows(t, a.tenant.id, job.id);
    expect(audit.map((r) => r.action)).toEqual(['job.create', 'job.pause', 'job.resume', 'job.cancel']);
    expect(audit[3]?.details).toEqual({ reason: 'wrong source workspace' });
  });

  it('cancel works without a body', async () => {
    const job = await createJob(t, a);
    expect((await t.call('POST', `/v1/jobs/${job.id}/cancel`, { token: a.engineer })).status).toBe(202);
    expect(await signalNames(a.tenant.namespace, job.workflowId)).toEqual(['cancel']);
  });

  it('are refused to viewers (403) and for finished jobs (409)', async () => {
    const job = await createJob(t, a);
    for (const action of ['cancel', 'pause', 'resume']) {
      await expectError(await t.call('POST', `/v1/jobs/${job.id}/${action}`, { token: a.viewer }), 403, 'forbidden');
    }
    const done = await insertJob(t, a, { status: 'completed' });
    for (const action of ['cancel', 'pause', 'resume']) {
      await expectError(await t.call('POST', `/v1/jobs/${done}/${action}`, { token: a.engineer }), 409, 'job_terminal');
    }
    expect(await auditRows(t, a.tenant.id, done)).toEqual([]);
  });

  it("answer 404 for another tenant's job", async () => {
    const job = await createJob(t, b);
    for (const action of ['cancel', 'pause', 'resume']) {
      await expectError(await t.call('POST', `/v1/jobs/${job.id}/${action}`, { token: a.engineer }), 404, 'not_found');
    }
    expect(await signalNames(b.tenant.namespace, job.workflowId)).toEqual([]);
  });

  it('answer 409 job_closed when the workflow has closed under a job that looks open', async () => {
    const job = await createJob(t, a);
    await temporalClient(t, a.tenant.namespace).workflow.getHandle(job.workflowId).terminate('closed behind our back');
    await withTenant(t.ctx.ownerSql, a.tenant.id, (tx) => tx`update freight.jobs set status = 'running' where id = ${job.id}`);
    await expectError(await t.call('POST', `/v1/jobs/${job.id}/pause`, { token: a.engineer }), 409, 'job_closed');
  });

  it('cancel finishes a job whose workflow never started', async () => {
    const jobId = await insertJob(t, a, { status: 'pending' });
    const res = await t.call('POST', `/v1/jobs/${jobId}/cancel`, { token: a.engineer, body: { reason: 'never mind' } });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ id: jobId, status: 'cancelled', requested: 'cancel' });
    const [row] = await withTenant(t.ctx.sql, a.tenant.id, (tx) => tx`select status, cancel_reason, finished_at from freight.jobs where id = ${jobId}`);
    expect(row).toMatchObject({ status: 'cancelled', cancel_reason: 'never mind', finished_at: expect.any(Date) });
    expect((await auditRows(t, a.tenant.id, jobId)).map((r) => r.action)).toEqual(['job.cancel']);
    await expectError(await t.call('POST', `/v1/jobs/${jobId}/pause`, { token: a.engineer }), 409, 'job_terminal');
  });
});

describe('retries', () => {
  it('are refused to viewers, and 404 for unknown batches or other tenants', async () => {
    const job = await createJob(t, a);
    await expectError(await t.call('POST', `/v1/jobs/${job.id}/retry`, { token: a.viewer, body: { scope: 'failed-batches' } }), 403, 'forbidden');
    await expectError(await t.call('POST', `/v1/jobs/${job.id}/batches/persons-000001/retry`, { token: a.viewer }), 403, 'forbidden');
    await expectError(await t.call('POST', `/v1/jobs/${job.id}/batches/persons-000001/retry`, { token: a.engineer }), 404, 'not_found');
    const other = await createJob(t, b);
    await insertBatch(b, other.id, 'persons-000001');
    await expectError(await t.call('POST', `/v1/jobs/${other.id}/retry`, { token: a.engineer, body: { scope: 'failed-records' } }), 404, 'not_found');
    await expectError(await t.call('POST', `/v1/jobs/${other.id}/batches/persons-000001/retry`, { token: a.engineer }), 404, 'not_found');
    await expectError(await t.call('POST', `/v1/jobs/${job.id}/retry`, { token: a.engineer, body: { scope: 'everything' } }), 400, 'validation_failed');
  });

  // A closed job that finished with errors is reopened as a new run instead (test/integration/engine/job-resume.test.ts).
  it('answer 409 job_closed once the workflow of a failed job has closed (it is resumed, not retried)', async () => {
    const job = await createJob(t, a);
    await insertBatch(a, job.id, 'organizations-000002');
    await temporalClient(t, a.tenant.namespace).workflow.getHandle(job.workflowId).terminate('finished');
    await withTenant(t.ctx.ownerSql, a.tenant.id, (tx) => tx`update freight.jobs set status = 'failed', finished_at = now() where id = ${job.id}`);
    const error = await expectError(await t.call('POST', `/v1/jobs/${job.id}/retry`, { token: a.engineer, body: { scope: 'failed-batches' } }), 409, 'job_closed');
    expect(error.message).toMatch(/a failed job is resumed/);
    await expectError(await t.call('POST', `/v1/jobs/${job.id}/batches/organizations-000002/retry`, { token: a.engineer }), 409, 'job_closed');
    expect((await auditRows(t, a.tenant.id, job.id)).map((r) => r.action)).toEqual(['job.create']);
  });

  it('answer 409 job_not_started for a job whose workflow never started', async () => {
    const jobId = await insertJob(t, a, { status: 'pending' });
    await expectError(await t.call('POST', `/v1/jobs/${jobId}/retry`, { token: a.engineer, body: { scope: 'failed-records' } }), 409, 'job_not_started');
  });

  it('answer 503 workflow_unresponsive when no worker takes the update in time', async () => {
    const app = await createTestApp({
      jobWorkflows: createJobWorkflows({ connection: t.ctx.temporal, taskQueue: t.ctx.config.temporal.taskQueue, updateTimeoutMs: 1_500 }),
    });
    const job = await createJob(app, a);
    const started = Date.now();
    await expectError(await app.call('POST', `/v1/jobs/${job.id}/retry`, { token: a.engineer, body: { scope: 'failed-batches' } }), 503, 'workflow_unresponsive');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
