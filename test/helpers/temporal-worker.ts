import { randomUUID } from 'node:crypto';
import { NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import { buildWorkflowBundle } from '../../workers/bundle.ts';
import { WORKER_TUNING } from '../../workers/worker-tuning.ts';
import { ensureNamespace, temporalConnectionOptions } from '../../shared/temporal.ts';
import type { TestContext } from './stack.ts';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The production workflow bundle, built once per test file. */
export function testBundle(ctx: TestContext): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= buildWorkflowBundle(ctx.logger);
  return bundle;
}

export interface WorkerHarness {
  namespace: string;
  taskQueue: string;
  client: Client;
  worker: Worker;
  connection: NativeConnection;
  /** Runs the worker while `fn` runs, then shuts it down. */
  run<T>(fn: () => Promise<T>): Promise<T>;
}

/** A fresh namespace (with Freight's search attributes) and a real Worker on the real dev server. */
export async function createWorkerHarness(ctx: TestContext, activities: object, namespace = `freight-wf-${randomUUID().slice(0, 8)}`): Promise<WorkerHarness> {
  await ensureNamespace({ connection: ctx.temporal, namespace, retentionDays: 1, logger: ctx.logger });
  const connection = await NativeConnection.connect(await temporalConnectionOptions(ctx.config.temporal));
  const taskQueue = `tq-${randomUUID().slice(0, 8)}`;
  const worker = await Worker.create({
    connection, namespace, taskQueue, workflowBundle: await testBundle(ctx), activities,
    maxCachedWorkflows: 20, shutdownGraceTime: '5s', ...WORKER_TUNING,
  });
  const client = new Client({ connection: ctx.temporal, namespace });
  return {
    namespace, taskQueue, client, worker, connection,
    run: async (fn) => {
      try {
        return await worker.runUntil(fn());
      } finally {
        await connection.close();
      }
    },
  };
}
