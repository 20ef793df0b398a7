import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { temporalConnectionOptions } from '../../../../shared/temporal.ts';
import type { TestApp } from '../../support/app.ts';

const STUB = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'support', 'stub-job-workflow.ts');
const QUIET = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

/**
 * A real Worker running the stand-in job workflow in `namespace`, so retry updates get answered
 * (without one, a valid retry request waits 15 s and answers 503 workflow_unresponsive, which is
 * the documented outage behaviour and not what the fuzzing is about).
 */
export async function startStubWorker(t: TestApp, namespace: string): Promise<{ stop(): Promise<void> }> {
  const connection = await NativeConnection.connect(await temporalConnectionOptions(t.ctx.config.temporal));
  const worker = await Worker.create({
    connection, namespace, taskQueue: t.ctx.config.temporal.taskQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: STUB, logger: QUIET }),
    shutdownGraceTime: '1s',
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
