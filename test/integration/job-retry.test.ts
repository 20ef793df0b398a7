import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../shared/db/scope.ts';
import type { JobDetail } from '../../shared/jobs/job-detail.ts';
import { temporalConnectionOptions } from '../../shared/temporal.ts';
import { createTestApp, errorBody, type TestApp } from './support/app.ts';
import { auditRows, cleanUpJobs, createJob, tenantWithConnections, type TenantFixture } from './support/jobs.ts';

// Retries are workflow updates: they need a worker to answer. A real Worker in the tenant's
// namespace runs a stand-in workflow (same name, same update validator rules), so the API's
// handling of accepted and rejected updates and of live progress is checked against the real server.
const STUB = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'stub-job-workflow.ts');

let t: TestApp;
let f: TenantFixture;
let connection: NativeConnection;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  t = await createTestApp();
  f = await tenantWithConnections(t);
  connection = await NativeConnection.connect(await temporalConnectionOptions(t.ctx.config.temporal));
  worker = await Worker.create({
    connection, namespace: f.tenant.namespace, taskQueue: t.ctx.config.temporal.taskQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: STUB, logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } }),
    shutdownGraceTime: '1s',
  });
  running = worker.run();
});

afterAll(async () => {
  await cleanUpJobs(t, [f]);
  worker?.shutdown();
  await running;
  await connection?.close();
});

describe('retries answered by the workflow', () => {
  it('return the answer of an accepted update and are audited', async () => {
    const job = await createJob(t, f);
    const res = await t.call('POST', `/v1/jobs/${job.id}/retry`, { token: f.engineer, body: { scope: 'failed-batches' } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({ accepted: true, queued: 3 });

    await withTenant(t.ctx.ownerSql, f.tenant.id, (tx) => tx`
      insert into freight.job_batches (tenant_id, job_id, id, object, seq, status) values (${f.tenant.id}, ${job.id}, 'persons-000004', 'persons', 4, 'failed')`);
    const batch = await t.call('POST', `/v1/jobs/${job.id}/batches/persons-000004/retry`, { token: f.engineer });
    expect(batch.status).toBe(200);
    expect(await batch.json()).toEqual({ accepted: true, queued: 1 });

    const audit = await auditRows(t, f.tenant.id, job.id);
    expect(audit.map((r) => r.action)).toEqual(['job.create', 'job.retry', 'job.batch.retry']);
    expect(audit[1]?.details).toEqual({ scope: 'failed-batches', accepted: true, queued: 3 });
    expect(audit[2]?.details).toEqual({ batchId: 'persons-000004', accepted: true, queued: 1 });

    const detail = (await (await t.call('GET', `/v1/jobs/${job.id}?live=true`, { token: f.viewer })).json()) as JobDetail;
    expect(detail.live).toMatchObject({ status: 'running', queued: 4, cancelRequested: false });
  });

  it("answer 409 retry_rejected with the validator's reason", async () => {
    const job = await createJob(t, f);
    expect((await t.call('POST', `/v1/jobs/${job.id}/cancel`, { token: f.engineer })).status).toBe(202);
    const res = await t.call('POST', `/v1/jobs/${job.id}/retry`, { token: f.engineer, body: { scope: 'failed-records' } });
    expect(res.status, await res.clone().text()).toBe(409);
    const error = await errorBody(res);
    expect(error).toMatchObject({ code: 'retry_rejected', message: expect.stringMatching(/job is being cancelled/) });
    expect((await auditRows(t, f.tenant.id, job.id)).map((r) => r.action)).toEqual(['job.create', 'job.cancel']);
  });
});
