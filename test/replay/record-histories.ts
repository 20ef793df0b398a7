/**
 * Records the histories the replay test (test/replay/workflow-replay.test.ts) replays: representative migration
 * jobs run by a real Worker on a real Temporal server, with the stand-in activities the workflow
 * tests use. Run it whenever the workflow changes in a way running jobs will see (a new `patched`
 * branch): record with the code *before* the change (`--workflows` pointing at a checkout of it) and
 * commit the files, so the replay test proves the new code still replays what the old code wrote.
 *
 *   npm run stack -- up --name rec && eval "$(npm run -s stack -- env --name rec)"
 *   npx tsx test/replay/record-histories.ts --label <version> [--workflows <checkout>/workflows/index.ts]
 *   npm run stack -- down --name rec
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createLogger } from '../../shared/logger.ts';
import { ensureNamespace } from '../../shared/temporal.ts';
import { WORKFLOWS_PATH } from '../../workers/bundle.ts';
import { WORKER_TUNING } from '../../workers/worker-tuning.ts';
import {
  cancelSignal, jobWorkflowId, MIGRATION_JOB_WORKFLOW, pauseSignal, requestRetryUpdate, resumeSignal, retryFailedSignal, type MigrationJobInput,
} from '../../workflows/migration-job/definitions.ts';
import { createFakeJobActivities, type FakeOptions } from '../integration/workflows/fake-job-activities.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

interface Scenario {
  name: string;
  fake: FakeOptions;
  input?: Partial<MigrationJobInput>;
  /** Steers the running job (signals, updates, cancellation) and waits for it to close. */
  drive: (handle: WorkflowHandle, fake: ReturnType<typeof createFakeJobActivities>) => Promise<void>;
}

const settle = (handle: WorkflowHandle): Promise<void> => handle.result().then(() => undefined, () => undefined);
const until = async (check: () => boolean): Promise<void> => {
  const deadline = Date.now() + 60_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('scenario did not reach its step in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** One of each way a job runs and ends. */
const SCENARIOS: Scenario[] = [
  { name: 'completed', fake: { pages: { organizations: 3, persons: 2, notes: 2 } }, drive: settle },
  {
    name: 'paused-resumed', fake: { pages: { organizations: 6, persons: 0, notes: 0 }, loadMs: 100 }, input: { concurrency: 1 },
    drive: async (handle, fake) => {
      await until(() => fake.log.loads.length >= 2);
      await handle.signal(pauseSignal);
      await until(() => fake.log.statuses.includes('paused'));
      await handle.signal(resumeSignal);
      await settle(handle);
    },
  },
  {
    name: 'retried', fake: { pages: { organizations: 3, persons: 1, notes: 0 }, failing: new Set(['organizations-000001']) },
    input: { retryWindowMs: 60_000 },
    drive: async (handle, fake) => {
      await until(() => fake.log.finished === 'completed_with_errors');
      fake.heal();
      await handle.executeUpdate(requestRetryUpdate, { args: [{ scope: 'failed-batches' }] });
      await until(() => fake.log.finished === 'completed');
      await settle(handle);
    },
  },
  {
    name: 'retry-signal-window-closes', fake: { pages: { organizations: 2, persons: 0, notes: 0 }, failing: new Set(['organizations-000000']) },
    input: { retryWindowMs: 3_000 },
    drive: async (handle, fake) => {
      await until(() => fake.log.finished === 'completed_with_errors');
      await handle.signal(retryFailedSignal, { scope: 'failed-batches' });
      await settle(handle);
    },
  },
  {
    name: 'cancel-signal', fake: { pages: { organizations: 10, persons: 0, notes: 0 }, loadMs: 10_000 }, input: { concurrency: 2 },
    drive: async (handle, fake) => {
      await until(() => fake.log.loads.length >= 2);
      await handle.signal(cancelSignal, { reason: 'recorded' });
      await settle(handle);
    },
  },
  {
    name: 'temporal-cancel', fake: { pages: { organizations: 10, persons: 0, notes: 0 }, loadMs: 10_000 }, input: { concurrency: 2 },
    drive: async (handle, fake) => {
      await until(() => fake.log.loads.length >= 2);
      await handle.cancel();
      await settle(handle);
    },
  },
  { name: 'fatal', fake: { pages: { organizations: 3, persons: 0, notes: 0 }, loadMs: 500, fatal: new Set(['organizations-000001']) }, drive: settle },
  { name: 'continued-as-new', fake: { pages: { organizations: 12, persons: 6, notes: 0 } }, input: { maxHistoryEvents: 80, concurrency: 3 }, drive: settle },
];

/** Plain JSON (enum names, 64-bit integers as strings, bytes as base64) that `History.fromObject` reads back. */
function historyToObject(history: proto.temporal.api.history.v1.IHistory): Record<string, unknown> {
  const { History } = proto.temporal.api.history.v1;
  return History.toObject(History.fromObject(history), { enums: String, longs: String, bytes: String });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { label: { type: 'string' }, workflows: { type: 'string' }, out: { type: 'string' } } });
  if (!values.label || !/^[\w.-]+$/.test(values.label)) throw new Error('--label <version> (letters, digits, . _ -) is required');
  const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const out = values.out ?? path.join(HERE, 'histories');
  const logger = createLogger({ name: 'record-histories', level: 'warn' });
  const connection = await Connection.connect({ address });
  const namespace = 'freight-replay-recording';
  await ensureNamespace({ connection, namespace, retentionDays: 1, logger });
  const client = new Client({ connection, namespace });
  for (const scenario of SCENARIOS) {
    const fake = createFakeJobActivities(scenario.fake);
    const nativeConnection = await NativeConnection.connect({ address });
    const taskQueue = `record-${randomUUID().slice(0, 8)}`;
    const worker = await Worker.create({
      connection: nativeConnection, namespace, taskQueue, workflowsPath: values.workflows ?? WORKFLOWS_PATH, activities: fake.activities,
      maxCachedWorkflows: 10, shutdownGraceTime: '2s', ...WORKER_TUNING,
    });
    const input: MigrationJobInput = {
      tenantId: randomUUID(), jobId: randomUUID(), objects: ['organizations', 'persons', 'notes'], batchSize: 10, concurrency: 2, dryRun: false,
      retryPolicy: { maxAttempts: 2, initialIntervalMs: 50, backoffCoefficient: 2, maximumIntervalMs: 200, nonRetryable: [] },
      ...scenario.input,
    };
    const workflowId = jobWorkflowId(input.jobId);
    await worker.runUntil(async () => {
      const handle = await client.workflow.start(MIGRATION_JOB_WORKFLOW, { taskQueue, workflowId, args: [input] });
      await scenario.drive(handle, fake);
    });
    await nativeConnection.close();
    // Every run of the job (continue-as-new makes several), oldest first.
    const runs = [];
    for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(run);
    runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
    for (const [i, run] of runs.entries()) {
      const history = await client.workflow.getHandle(workflowId, run.runId).fetchHistory();
      const file = path.join(out, `${values.label}.${scenario.name}${runs.length > 1 ? `.run${i + 1}` : ''}.json`);
      await writeFile(file, `${JSON.stringify(historyToObject(history), null, 1)}\n`);
      console.log(`${file}: ${history.events?.length ?? 0} events, ${run.status.name}`);
    }
  }
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
