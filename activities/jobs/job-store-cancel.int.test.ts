import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledFailure } from '@temporalio/common';
import { createSql, type Sql } from '../../shared/db/client.ts';
import { withTenant } from '../../shared/db/scope.ts';
import { cleanUpJobs, insertJob, tenantWithConnections, type TenantFixture } from '../../test/integration/support/jobs.ts';
import { createTestApp, type TestApp } from '../../test/integration/support/app.ts';
import { activitySignal } from './activity-signal.ts';
import { createJobStore } from './job-store.ts';

// An activity cancelled (or its Worker shutting down) while it waits on PostgreSQL: the wait ends at
// once, whatever holds the database up, and the abandoned transaction commits nothing.
let t: TestApp;
let f: TenantFixture;
/** One connection: a query through it runs only once the abandoned transaction has let go. */
let single: Sql;

beforeAll(async () => {
  t = await createTestApp();
  f = await tenantWithConnections(t);
  single = createSql({ url: t.ctx.config.db.url, max: 1 });
});

afterAll(async () => {
  await single?.end({ timeout: 1 });
  await cleanUpJobs(t, [f]);
});

const statusOf = async (sql: Sql, jobId: string): Promise<string | undefined> =>
  (await withTenant(sql, f.tenant.id, (tx) => tx<{ status: string }[]>`select status from freight.jobs where id = ${jobId}`))[0]?.status;

describe('job store waits and activity cancellation', () => {
  it('gives up a wait for a locked row as soon as the activity is cancelled, and rolls its transaction back', async () => {
    const jobId = await insertJob(t, f, { status: 'running' });
    let unlock: () => void = () => undefined;
    const held = new Promise<void>((r) => { unlock = r; });
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((r) => { locked = r; });
    // Another session holds the job's row, as a stuck transaction would.
    const holder = withTenant(t.ctx.ownerSql, f.tenant.id, async (tx) => {
      await tx`select 1 from freight.jobs where id = ${jobId} for update`;
      locked();
      await held;
    });
    await isLocked;

    const cancel = new AbortController();
    const store = createJobStore(single, { signal: () => cancel.signal });
    const waiting = store.setStatus({ tenantId: f.tenant.id, jobId }, 'paused');
    void waiting.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    const at = Date.now();
    cancel.abort(new CancelledFailure('CANCELLED'));
    await expect(waiting).rejects.toBeInstanceOf(CancelledFailure);
    expect(Date.now() - at).toBeLessThan(500);

    // The lock goes; the abandoned transaction gets its row, runs its update, and rolls back.
    unlock();
    await holder;
    expect(await statusOf(single, jobId)).toBe('running');
  });

  it('does not start a transaction for an activity already cancelled', async () => {
    const jobId = await insertJob(t, f, { status: 'running' });
    const store = createJobStore(t.ctx.sql, { signal: () => AbortSignal.abort(new CancelledFailure('CANCELLED')) });
    await expect(store.setStatus({ tenantId: f.tenant.id, jobId }, 'paused')).rejects.toBeInstanceOf(CancelledFailure);
    expect(await statusOf(t.ctx.sql, jobId)).toBe('running');
  });

  it('has no activity signal outside an activity', () => {
    expect(activitySignal()).toBeUndefined();
  });
});
