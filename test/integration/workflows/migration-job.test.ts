import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { JOB_FAILED } from '../../../shared/error-kinds.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cancelSignal, jobWorkflowId, MIGRATION_JOB_WORKFLOW, pauseSignal, progressQuery, requestRetryUpdate, resumeSignal,
  retryBatchSignal, retryFailedSignal, type JobResult, type MigrationJobInput,
} from '../../../workflows/migration-job/definitions.ts';
import { getTestContext, type TestContext } from '../../helpers/stack.ts';
import { createWorkerHarness, type WorkerHarness } from '../../helpers/temporal-worker.ts';
import { createFakeJobActivities, type FakeOptions } from './fake-job-activities.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await getTestContext();
});

const OBJECTS = ['organizations', 'persons', 'notes'];
/** Longer than the worker's heartbeat throttle (5 s), through which cancellation reaches a load. */
const CANCELLED_LOAD_MS = 20_000;

function input(overrides: Partial<MigrationJobInput> = {}): MigrationJobInput {
  return {
    tenantId: randomUUID(), jobId: randomUUID(), objects: OBJECTS, batchSize: 10, concurrency: 3, dryRun: false,
    retryPolicy: { maxAttempts: 2, initialIntervalMs: 50, backoffCoefficient: 2, maximumIntervalMs: 200, nonRetryable: [] },
    ...overrides,
  };
}

async function harness(options: FakeOptions): Promise<{ h: WorkerHarness; fake: ReturnType<typeof createFakeJobActivities> }> {
  const fake = createFakeJobActivities(options);
  return { h: await createWorkerHarness(ctx, fake.activities), fake };
}

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('migrationJob workflow (real server, stand-in activities)', () => {
  it('loads every batch once, kind after kind, within the concurrency window', async () => {
    const { h, fake } = await harness({ pages: { organizations: 4, persons: 5, notes: 3 }, loadMs: 200 });
    const args = input();
    const result = await h.run(async () => {
      const handle = await h.client.workflow.start(MIGRATION_JOB_WORKFLOW, { taskQueue: h.taskQueue, workflowId: jobWorkflowId(args.jobId), args: [args] });
      return handle.result() as Promise<JobResult>;
    });
    expect(result.status).toBe('completed');
    expect(result.totals.succeeded).toBe(12 * 10);
    const ids = fake.log.loads.map((l) => l.batchId);
    expect(new Set(ids).size).toBe(12);
    expect(ids).toHaveLength(12);
    expect(fake.log.maxConcurrent).toBeLessThanOrEqual(3);
    expect(fake.log.maxConcurrent).toBeGreaterThan(1);
    // A kind starts only after every batch of the kind before it has finished (references).
    for (const [before, after] of [['organizations', 'persons'], ['persons', 'notes']] as const) {
      const lastEnd = Math.max(...fake.log.loads.filter((l) => l.batchId.startsWith(before)).map((l) => l.endedAt ?? Infinity));
      const firstStart = Math.min(...fake.log.loads.filter((l) => l.batchId.startsWith(after)).map((l) => l.startedAt));
      expect(firstStart).toBeGreaterThanOrEqual(lastEnd);
    }
  });

  it('pause stops new batches; resume finishes the job', async () => {
    const { h, fake } = await harness({ pages: { organizations: 10, persons: 0, notes: 0 }, loadMs: 100 });
    const args = input({ concurrency: 2 });
    const result = await h.run(async () => {
      const handle = await h.client.workflow.start(MIGRATION_JOB_WORKFLOW, { taskQueue: h.taskQueue, workflowId: jobWorkflowId(args.jobId), args: [args] });
      await until(() => fake.log.loads.length >= 2);
      await handle.signal(pauseSignal);
      await until(() => fake.log.statuses.includes('paused'));
      await until(() => fake.log.loads.every((l) => l.endedAt !== undefined));
      const startedWhilePaused = fake.log.loads.length;
      await new Promise((r) => setTimeout(r, 1000));
      expect(fake.log.loads.length).toBe(startedWhilePaused);
      expect((await handle.query(progressQuery)).paused).toBe(true);
      await handle.signal(resumeSignal);
      return handle.result() as Promise<JobResult>;
    });
    expect(result.status).toBe('completed');
    expect(fake.log.loads).toHaveLength(10);
    expect(fake.log.statuses).toContain('paused');
  });

  it('cancel signal stops dispatching, cancels in-flight loads and ends cancelled', async () => {
    const { h, fake } = await harness({ pages: { organizations: 20, persons: 0, notes: 0 }, loadMs: CANCELLED_LOAD_MS });
    const args = input({ concurrency: 2 });
    const result = await h.run(async () => {
      const handle = await h.client.workflow.start(MIGRATION_JOB_WORKFLOW, { taskQueue: h.taskQueue, workflowId: jobWorkflowId(args.jobId), args: [args] });
      await until(() => fake.log.loads.length >= 2);
      await handle.signal(cancelSignal, { reason: 'test' });
      return handle.result() as Promise<JobResult>;
    });
    expect(result.status).toBe('cancelled');
    expect(fake.log.loads.length).toBe(2);
    expect(fake.log.loads.filter((l) => l.cancelled)).toHaveLength(2);
    expect(fake.log.finished).toBe('cancelled');
  });

  it('Temporal-native cancellation behaves like the cancel signal', async () => {
    const { h, fake } = await harness({ pages: { organizations: 20, persons: 0, notes: 0 }, loadMs: CANCELLED_LOAD_MS });
    const args = input({ concurrency: 2 });
    const outcome = await h.run(async () => {
      const handle = await h.client.workflow.start(MIGRATION_JOB_WORKFLOW, { taskQueue: h.taskQueue, workflowId: jobWorkflowId(args.jobId), args: [args] });
      await until(() => fake.log.loads.length >= 2);
      await handle.cancel();
      const closed = await (handle.result() as Promise<JobResult>).catch((err: unknown) => err);
      // Settled first, then closed as Canceled: Temporal's own tools tell the truth.
      expect((await handle.describe()).status.name).toBe('CANCELLED');
      return closed;
    });
    expect(outcome).toBeInstanceOf(WorkflowFailedError);
    expect((outcome as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect(fake.log.loads.filter((l) => l.cancelled)).toHaveLength(2);
    expect(fake.log.finished).toBe('cancelled');
  });

  it('a batch that exhausts its attempts fails alone; retryBatch re-runs it and the job completes', async () => {
    const failing = new Set(['organizations-000001']);
    const { h, fake } = await harness({ pages: { organizations: 3, persons: 0, notes: 0 }, failing });
    const args = input();
    const result = await h.run(async () => {
      const handle = await h.client.workflow.start(MIGRATION_JOB_WORKFLOW, { taskQueue: h.taskQueue, workflowId: jobWorkflowId(args.jobId), args: [args] });
      await until(() => fake.log.finished === 'completed_with_errors');
      expect(fake.log.loads.filter((l) => l.batchId === 'organizations-000001')).toHaveLength(2); // maxAttempts
      fake.heal();
      const rejected = await handle.executeUpdate(requestRetryUpdate, { args: [{}] }).catch((e: unknown) => e);
      expect(rejected).toBeInstanceOf(Error);
      await handle.signal(retryBatchSignal, { batchId: 'organizations-000001' });
      return handle.result() as Promise<JobResult>;
    });
    expect(result.status).toBe('completed');
    expect(fake.log.loads.filter((l) => l.batchId === 'organizations-000001')).toHaveLength(3);
    expect(fake.log.loads.filter((l) => l.batchId === 'organizations-000000')).toHaveLength(1);
  });

  it('the requestRetry update answers whether the retry was accepted', async () => {
    const failing = new Set(['organizations-000000']);
    const { h, fake } = await harness({ pages: { organizations: 2, persons: 0, notes: 0 }, failing });
    const args = input();
    await h.run(async () => {
      const handle = await h.client.workflow.start(MIGRATION_JOB_WORKFLOW, { taskQueue: h.taskQueue, workflowId: jobWorkflowId(args.jobId), args: [args] });
      await until(() => fake.log.finished === 'completed_with_errors');
      fake.heal();
      const answer = await handle.executeUpdate(requestRetryUpdate, { args: [{ scope: 'failed-batches' }] });
      expect(answer).toMatchObject({ accepted: true, queued: 1 });
      const result = (await handle.result()) as JobResult;
      expect(result.status).toBe('completed');
    });
  });

  it('a source read failing transiently longer than the retry policy allows is retried, not fatal', async () => {
    // maxAttempts is 2: five failures in a row used to fail the whole job.
    const { h, fake } = await harness({ pages: { organizations: 2, persons: 0, notes: 0 }, extractFailures: 5 });
    const args = input();
    const result = await h.run(async () => {
      const handle = await h.client.workflow.start(MIGRATION_JOB_WORKFLOW, { taskQueue: h.taskQueue, workflowId: jobWorkflowId(args.jobId), args: [args] });
      return handle.result() as Promise<JobResult>;
    });
    expect(result.status).toBe('completed');
    expect(fake.log.loads).toHaveLength(2);
  });

  for (const via of ['retryFailed signal', 'requestRetry update'] as const) {
    it(`a retry whose handler is still running when the workflow continues as new is not lost (${via})`, async () => {
      const failing = new Set(['organizations-000000']);
      const { h, fake } = await harness({ pages: { organizations: 4, persons: 0, notes: 0 }, failing, listRetryTargetsMs: 3_000 });
      const args = input({ maxHistoryEvents: 120, retryWindowMs: 2_000, concurrency: 1 });
      const result = await h.run(async () => {
        const handle = await h.client.workflow.start(MIGRATION_JOB_WORKFLOW, { taskQueue: h.taskQueue, workflowId: jobWorkflowId(args.jobId), args: [args] });
        await until(() => fake.log.markedFailed.length > 0);
        await handle.signal(pauseSignal);
        await until(() => fake.log.statuses.includes('paused') && fake.log.loads.every((l) => l.endedAt !== undefined));
        fake.heal();
        const answer = via === 'requestRetry update'
          ? handle.executeUpdate(requestRetryUpdate, { args: [{ scope: 'failed-batches' }] })
          : handle.signal(retryFailedSignal, { scope: 'failed-batches' }).then(() => ({ accepted: true, queued: 1 }));
        // While the retry handler waits for the failed list, signals push the history past its bound:
        // a paused, drained run then continues as new at once.
        const runs = (await handle.query(progressQuery)).runs;
        const deadline = Date.now() + 30_000;
        while ((await handle.query(progressQuery)).runs === runs && Date.now() < deadline) {
          await handle.signal(pauseSignal);
          await new Promise((r) => setTimeout(r, 50));
        }
        expect((await handle.query(progressQuery)).runs).toBeGreaterThan(runs);
        expect(await answer).toMatchObject({ accepted: true, queued: 1 });
        await handle.signal(resumeSignal);
        return handle.result() as Promise<JobResult>;
      });
      expect(fake.log.loads.filter((l) => l.batchId === 'organizations-000000')).toHaveLength(3);
      expect(result.status).toBe('completed');
    });
  }

  it('the requestRetry validator refuses a retry while a fatal error drains the job', async () => {
    const { h, fake } = await harness({
      pages: { organizations: 3, persons: 0, notes: 0 }, loadMs: 4_000, fatal: new Set(['organizations-000001']),
    });
    const args = input({ concurrency: 2 });
    const result = await h.run(async () => {
      const handle = await h.client.workflow.start(MIGRATION_JOB_WORKFLOW, { taskQueue: h.taskQueue, workflowId: jobWorkflowId(args.jobId), args: [args] });
      await until(() => fake.log.markedFailed.includes('organizations-000001'));
      const refused = await handle.executeUpdate(requestRetryUpdate, { args: [{ scope: 'failed-batches' }] }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(Error);
      const closed = await (handle.result() as Promise<JobResult>).catch((e: unknown) => e);
      expect((await handle.describe()).status.name).toBe('FAILED');
      return closed;
    });
    expect(fake.log.finished).toBe('failed');
    expect(fake.log.loads.filter((l) => l.batchId === 'organizations-000001')).toHaveLength(1);
    // A failed job's workflow closes Failed, with the job's failure as the cause.
    const cause = (result as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe(JOB_FAILED);
    expect(cause?.message).toContain('auth');
  });

  it('continues as new at batch boundaries and keeps exact counts', async () => {
    const { h, fake } = await harness({ pages: { organizations: 25, persons: 15, notes: 0 }, loadMs: 10 });
    const args = input({ maxHistoryEvents: 80, concurrency: 4 });
    const result = await h.run(async () => {
      const handle = await h.client.workflow.start(MIGRATION_JOB_WORKFLOW, { taskQueue: h.taskQueue, workflowId: jobWorkflowId(args.jobId), args: [args] });
      return handle.result() as Promise<JobResult>;
    });
    expect(result.status).toBe('completed');
    expect(result.runs).toBeGreaterThan(1);
    expect(result.totals.succeeded).toBe(40 * 10);
    expect(new Set(fake.log.loads.map((l) => l.batchId)).size).toBe(40);
    expect(fake.log.loads).toHaveLength(40);
  });
});
