import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureNamespace, temporalConnectionOptions } from '../shared/temporal.ts';
import { getTestContext, type TestContext } from '../test/helpers/stack.ts';
import { testBundle } from '../test/helpers/temporal-worker.ts';
import { createFakeJobActivities } from '../test/integration/workflows/fake-job-activities.ts';
import { jobWorkflowId, MIGRATION_JOB_WORKFLOW, type JobResult, type MigrationJobInput } from '../workflows/migration-job/definitions.ts';
import { createNamespaceManager, type NamespaceManager } from './namespace-manager.ts';
import { createProcessCapacity, type ProcessCapacity } from './process-capacity.ts';

// Real Workers on the real dev server drawing on one process-wide budget: once idle, the SDK's poll
// loops hold the slots the pool guarantees each Worker (SLOTS_HELD_BY_IDLE_WORKER: 3 activity, 6
// workflow task) and no more, and the activities of every namespace together stay within the budget.
const LIMITS = { maxNamespaces: 2, maxConcurrentActivities: 8, maxConcurrentWorkflowTasks: 12, maxCachedWorkflows: 20 };

let ctx: TestContext;
let connection: NativeConnection;
let capacity: ProcessCapacity;
let manager: NamespaceManager;
const namespaces = [`freight-cap-${randomUUID().slice(0, 8)}`, `freight-cap-${randomUUID().slice(0, 8)}`];
const taskQueue = `tq-cap-${randomUUID().slice(0, 8)}`;
const fake = createFakeJobActivities({ pages: { organizations: 12, persons: 0, notes: 0 }, loadMs: 300 });

beforeAll(async () => {
  ctx = await getTestContext();
  for (const namespace of namespaces) await ensureNamespace({ connection: ctx.temporal, namespace, retentionDays: 1, logger: ctx.logger });
  connection = await NativeConnection.connect(await temporalConnectionOptions(ctx.config.temporal));
  capacity = createProcessCapacity(LIMITS);
  manager = createNamespaceManager({
    connection, bundle: await testBundle(ctx), activities: fake.activities, taskQueue, logger: ctx.logger, capacity,
    shutdownGraceMs: 2_000, shutdownForceMs: 5_000,
  });
});

afterAll(async () => {
  await manager?.shutdown();
  await connection?.close();
});

const input = (): MigrationJobInput => ({
  tenantId: randomUUID(), jobId: randomUUID(), objects: ['organizations', 'persons', 'notes'], batchSize: 10, concurrency: 6, dryRun: false,
  retryPolicy: { maxAttempts: 2, initialIntervalMs: 50, backoffCoefficient: 2, maximumIntervalMs: 200, nonRetryable: [] },
});

async function until(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('namespace manager on one process-wide budget (real Workers)', () => {
  it('holds only the guaranteed polling slots while idle, and runs jobs of two namespaces within the shared activity budget', async () => {
    for (const namespace of namespaces) await manager.ensure(namespace);
    expect(() => capacity.forWorker('a-third-namespace')).toThrow(/2 Workers/);
    expect(capacity.stats().workflowTask.held).toBeLessThanOrEqual(LIMITS.maxConcurrentWorkflowTasks);
    // Idle: each Worker's pollers settle on their guarantee (2 activity, 4 workflow task slots).
    // A new Worker opens 4 polls per queue, the 2 activity slots beyond the guarantees go to them,
    // and the pollers scale back to their floor of 2 once those polls come back empty (about a minute).
    await until(() => capacity.stats().activity.held === 6 && capacity.stats().workflowTask.held === 12, 150_000);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(capacity.stats()).toMatchObject({ workers: 2, activity: { held: 6, used: 0 }, workflowTask: { held: 12, used: 0 } });

    let peakHeld = 0;
    const sampler = setInterval(() => { peakHeld = Math.max(peakHeld, capacity.stats().activity.held); }, 10);
    try {
      const results = await Promise.all(namespaces.map(async (namespace) => {
        const client = new Client({ connection: ctx.temporal, namespace });
        const args = input();
        const handle = await client.workflow.start(MIGRATION_JOB_WORKFLOW, { taskQueue, workflowId: jobWorkflowId(args.jobId), args: [args] });
        return (await handle.result()) as JobResult;
      }));
      expect(results.map((r) => r.status)).toEqual(['completed', 'completed']);
      expect(results.map((r) => r.totals.succeeded)).toEqual([120, 120]);
    } finally {
      clearInterval(sampler);
    }
    // Two jobs of 6 batches in flight each wanted 12 loads at once; the process ran at most 8 activities.
    expect(fake.log.loads).toHaveLength(24);
    expect(fake.log.maxConcurrent).toBeLessThanOrEqual(LIMITS.maxConcurrentActivities);
    expect(fake.log.maxConcurrent).toBeGreaterThan(2);
    expect(peakHeld).toBeLessThanOrEqual(LIMITS.maxConcurrentActivities);

    // A stopped Worker returns its share: a third namespace now fits.
    await manager.stop(namespaces[0] as string);
    expect(capacity.stats()).toMatchObject({ workers: 1, activity: { members: 1 }, workflowTask: { members: 1 } });
    expect(manager.running()).toEqual([namespaces[1]]);
  });
});
