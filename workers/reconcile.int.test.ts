import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../shared/db/scope.ts';
import { createJobWorkflows } from '../shared/jobs/job-workflows.ts';
import { createTestApp, type TestApp } from '../test/integration/support/app.ts';
import { cleanUpJobs, insertJob, temporalClient, tenantWithConnections, type TenantFixture } from '../test/integration/support/jobs.ts';
import { jobWorkflowId } from '../workflows/migration-job/definitions.ts';
import { createReconciler, temporalWorkflowStatus } from './reconcile.ts';

// Starts and statuses drift when Freight is not the one acting: a start that failed after the row
// was saved, a workflow terminated from Temporal's own tools. The worker's demand loop reconciles.
let t: TestApp;
let f: TenantFixture;

beforeAll(async () => {
  t = await createTestApp();
  f = await tenantWithConnections(t);
});

afterAll(async () => {
  await cleanUpJobs(t, [f]);
});

const rowOf = async (jobId: string) => (await withTenant(t.ctx.ownerSql, f.tenant.id, (tx) =>
  tx<{ status: string; error: string | null; finished_at: Date | null }[]>`select status, error, finished_at from freight.jobs where id = ${jobId}`))[0];

describe('job reconciler', () => {
  it('starts a job left pending without a workflow, and settles its row once the workflow is terminated outside Freight', async () => {
    // No worker serves this task queue: the started workflow just waits, as after a failed start.
    const workflows = createJobWorkflows({ connection: t.ctx.temporal, taskQueue: `reconcile-${f.tenant.id.slice(0, 8)}` });
    const reconcile = createReconciler({
      sql: t.ctx.sql, workflows, workflowStatus: temporalWorkflowStatus(t.ctx.temporal), logger: t.ctx.logger,
      pendingAfterMs: 30_000, settleAfterMs: 0, tenantId: f.tenant.id,
    });
    const stale = await insertJob(t, f, { status: 'pending', createdAt: new Date(Date.now() - 120_000) });
    const fresh = await insertJob(t, f, { status: 'pending' });
    const handle = temporalClient(t, f.tenant.namespace).workflow.getHandle(jobWorkflowId(stale));

    const first = await reconcile();
    expect(first.started).toEqual([stale]);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    // A job just created may still be being started by the API: left alone.
    await expect(temporalClient(t, f.tenant.namespace).workflow.getHandle(jobWorkflowId(fresh)).describe()).rejects.toThrow();

    await handle.terminate('operator: temporal workflow terminate');
    const second = await reconcile();
    expect(second.settled).toEqual([stale]);
    const row = await rowOf(stale);
    expect(row?.status).toBe('failed');
    expect(row?.error).toMatch(/terminated/i);
    expect(row?.finished_at).not.toBeNull();
    // Settled rows are not started again.
    expect((await reconcile()).started).toEqual([]);
  });
});
