import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransactionSql } from '../shared/db/client.ts';
import { withAdminScope } from '../shared/db/scope.ts';
import { getTestContext, type TestContext } from '../test/helpers/stack.ts';
import { createTestApp, type TestApp } from '../test/integration/support/app.ts';
import { cleanUpJobs, insertJob, tenantWithConnections, type TenantFixture } from '../test/integration/support/jobs.ts';
import { demandedNamespaces, startDemandLoop, type DemandLoop } from './demand.ts';
import type { DemandedNamespace } from './lease-plan.ts';
import { createNamespaceCoordinator, type NamespaceCoordinator } from './namespace-coordinator.ts';
import { createNamespaceLeases } from './namespace-leases.ts';
import type { NamespaceManager } from './namespace-manager.ts';

// Worker processes coordinate through freight.worker_namespace_leases alone: each serves at most its
// cap, together they split the demand, and a process that stops renewing (killed) loses its
// namespaces to the others once its leases expire. Stand-in managers record which Workers would run;
// the leases, the demand loop and the coordinator are the production ones on the real database.
let ctx: TestContext;
beforeAll(async () => {
  ctx = await getTestContext();
});

interface Process {
  workerId: string;
  running: Set<string>;
  coordinator: NamespaceCoordinator;
  loop: DemandLoop;
}

/** A worker process as the demand loop sees it; its task queue keeps it apart from every other test. */
async function startProcess(
  taskQueue: string, cap: number, demand: () => DemandedNamespace[], ttlMs: number, isDeadHolder?: (workerId: string) => boolean,
): Promise<Process> {
  const workerId = `test-${randomUUID().slice(0, 8)}`;
  const running = new Set<string>();
  const manager: NamespaceManager = {
    async ensure(n) { running.add(n); },
    async stop(n) { running.delete(n); },
    // The stand-in Workers always have work: none is stopped for being idle.
    idle: () => [],
    running: () => [...running],
    async shutdown() { running.clear(); },
  };
  const coordinator = createNamespaceCoordinator({
    manager, workerId, cap, idleStopMs: 600_000, yieldAfterMs: 600_000, logger: ctx.logger,
    leases: createNamespaceLeases({ sql: ctx.sql, workerId, taskQueue, ttlMs, ...(isDeadHolder ? { isDeadHolder } : {}) }),
  });
  const loop = await startDemandLoop({ sql: ctx.sql, coordinator, logger: ctx.logger, intervalMs: 200, demand: async () => demand() });
  return { workerId, running, coordinator, loop };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const leaseRows = (taskQueue: string) => withAdminScope(ctx.sql, { actor: 'test', reason: 'lease rows', audit: false }, (tx) =>
  tx<{ namespace: string; worker_id: string; live: boolean }[]>`
    select namespace, worker_id, expires_at > now() as live from freight.worker_namespace_leases where task_queue = ${taskQueue}`);

describe('namespace leases between worker processes', () => {
  it('split the demanded namespaces within each cap, and a dead process’s leases are taken over once they expire', async () => {
    const taskQueue = `lease-${randomUUID().slice(0, 8)}`;
    const demand = Array.from({ length: 5 }, (_, i) => ({ namespace: `ns-${i}`, active: true }));
    const a = await startProcess(taskQueue, 2, () => demand, 1_500);
    const b = await startProcess(taskQueue, 4, () => demand, 1_500);
    try {
      await until(() => a.running.size + b.running.size === 5);
      expect(a.running.size).toBeLessThanOrEqual(2);
      expect(b.running.size).toBeLessThanOrEqual(4);
      expect([...a.running].filter((n) => b.running.has(n))).toEqual([]);
      const fromA = [...a.running];
      expect(fromA.length).toBeGreaterThan(0);

      // A is killed: no release, its leases simply stop being renewed.
      await a.loop.stop();
      const diedAt = Date.now();
      await until(() => fromA.some((n) => b.running.has(n)));
      // Not before the lease expired (1.5 s after A's last renewal, at most 200 ms before it died).
      expect(Date.now() - diedAt).toBeGreaterThanOrEqual(1_000);
      expect(b.running.size).toBe(4);
      const rows = await leaseRows(taskQueue);
      expect(rows.filter((r) => r.live && r.worker_id === b.workerId)).toHaveLength(4);
      expect(b.coordinator.status()).toEqual({ cap: 4, served: 4, unserved: 1 });
    } finally {
      await a.loop.stop();
      await b.loop.stop();
    }
  });

  it('a process that stops cleanly hands its namespaces over at once, well before its leases would expire', async () => {
    const taskQueue = `lease-${randomUUID().slice(0, 8)}`;
    const demand = [{ namespace: 'ns-a', active: true }, { namespace: 'ns-b', active: true }];
    const a = await startProcess(taskQueue, 2, () => demand, 60_000);
    await until(() => a.running.size === 2);
    const b = await startProcess(taskQueue, 2, () => demand, 60_000);
    try {
      await new Promise((r) => setTimeout(r, 500));
      expect(b.running.size).toBe(0);
      expect(b.coordinator.status().unserved).toBe(0);
      await a.loop.stop();
      await a.coordinator.releaseAll();
      const releasedAt = Date.now();
      await until(() => b.running.size === 2);
      expect(Date.now() - releasedAt).toBeLessThan(5_000);
    } finally {
      await a.loop.stop();
      await b.loop.stop();
    }
  });
});

describe('namespace leases of a dead predecessor on the same host', () => {
  it('are taken over at once by a restarted process, long before they expire', async () => {
    const taskQueue = `lease-${randomUUID().slice(0, 8)}`;
    const demand = [{ namespace: 'ns-a', active: true }, { namespace: 'ns-b', active: true }];
    const a = await startProcess(taskQueue, 2, () => demand, 60_000);
    await until(() => a.running.size === 2);
    // SIGKILL: no release, the leases stay live for another minute.
    await a.loop.stop();
    const b = await startProcess(taskQueue, 2, () => demand, 60_000, (holder) => holder === a.workerId);
    try {
      const restartedAt = Date.now();
      await until(() => b.running.size === 2);
      expect(Date.now() - restartedAt).toBeLessThan(5_000);
      const rows = await leaseRows(taskQueue);
      expect(rows.filter((r) => r.live).map((r) => r.worker_id)).toEqual([b.workerId, b.workerId]);
    } finally {
      await b.loop.stop();
    }
  });

  it('of a process still alive are left alone until they expire', async () => {
    const taskQueue = `lease-${randomUUID().slice(0, 8)}`;
    const demand = [{ namespace: 'ns-a', active: true }];
    const a = await startProcess(taskQueue, 1, () => demand, 60_000);
    await until(() => a.running.size === 1);
    const b = await startProcess(taskQueue, 1, () => demand, 60_000, () => false);
    try {
      await new Promise((r) => setTimeout(r, 1_000));
      expect(b.running.size).toBe(0);
      expect(a.running.size).toBe(1);
    } finally {
      await a.loop.stop();
      await b.loop.stop();
    }
  });
});

describe('worker demand', () => {
  let t: TestApp;
  let f: TenantFixture;
  beforeAll(async () => {
    t = await createTestApp();
    f = await tenantWithConnections(t);
  });
  afterAll(async () => {
    await cleanUpJobs(t, [f]);
  });

  it('lists a namespace with jobs to run as active, one whose jobs only wait for retries as not', async () => {
    await insertJob(t, f, { status: 'completed_with_errors' });
    await withAdminScope(t.ctx.ownerSql, { actor: 'test', reason: 'finish job', audit: false }, (tx) =>
      tx`update freight.jobs set finished_at = now() where tenant_id = ${f.tenant.id}`);
    const mine = async (): Promise<DemandedNamespace | undefined> => (await demandedNamespaces(t.ctx.sql, 24)).find((d) => d.namespace === f.tenant.namespace);
    expect(await mine()).toEqual({ namespace: f.tenant.namespace, active: false });
    await insertJob(t, f, { status: 'pending' });
    expect(await mine()).toEqual({ namespace: f.tenant.namespace, active: true });
    const list = await demandedNamespaces(t.ctx.sql, 24);
    // Namespaces with jobs to run come before those that only keep a retry window open.
    const firstInactive = list.findIndex((d) => !d.active);
    expect(firstInactive === -1 || list.slice(firstInactive).every((d) => !d.active)).toBe(true);
  });

  it('lists a namespace with a live delta schedule (its ticks need a Worker), not once the schedule is deleted or ended', async () => {
    const g = await tenantWithConnections(t);
    const job = await insertJob(t, g, { status: 'completed' });
    const mine = async (): Promise<DemandedNamespace | undefined> => (await demandedNamespaces(t.ctx.sql, 24)).find((d) => d.namespace === g.tenant.namespace);
    expect(await mine()).toBeUndefined();
    const id = randomUUID();
    const scoped = <T>(fn: (tx: TransactionSql) => Promise<T>) => withAdminScope(t.ctx.ownerSql, { actor: 'test', reason: 'schedule row', audit: false }, fn);
    await scoped((tx) => tx`
      insert into freight.delta_schedules (id, tenant_id, namespace, temporal_schedule_id, follows, every_seconds, on_conflict, job_template, request_hash, created_by)
      values (${id}, ${g.tenant.id}, ${g.tenant.namespace}, ${`delta-schedule-${id}`}, ${job}, 60, 'keep-target', ${tx.json({})}, 'h', 'test')`);
    try {
      expect(await mine()).toEqual({ namespace: g.tenant.namespace, active: false });
      await scoped((tx) => tx`update freight.delta_schedules set end_at = now() - interval '1 second' where id = ${id}`);
      expect(await mine()).toBeUndefined();
      await scoped((tx) => tx`update freight.delta_schedules set end_at = null, deleted_at = now() where id = ${id}`);
      expect(await mine()).toBeUndefined();
    } finally {
      await scoped((tx) => tx`delete from freight.delta_schedules where id = ${id}`);
      await cleanUpJobs(t, [g]);
    }
  });
});
