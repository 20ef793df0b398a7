// A stand-in for the real migrationJob workflow, registered under the same name, for API tests of
// the update path: it answers retry requests (with the same validator rules), progress and cancel.
import { CancellationScope, condition, isCancellation, setHandler } from '@temporalio/workflow';
import { cancelSignal, progressQuery, requestRetryUpdate, type MigrationJobInput } from '../../../workflows/migration-job/definitions.ts';

export async function migrationJob(input: MigrationJobInput): Promise<void> {
  let cancelRequested = false;
  let queued = 0;
  setHandler(cancelSignal, () => {
    cancelRequested = true;
  });
  setHandler(requestRetryUpdate, (req) => {
    const n = req.batchId ? 1 : 3;
    queued += n;
    return { accepted: true, queued: n };
  }, {
    validator: (req) => {
      if (cancelRequested) throw new Error('job is being cancelled');
      if (!req.batchId === !req.scope) throw new Error('give exactly one of batchId or scope');
    },
  });
  setHandler(progressQuery, () => ({
    status: 'running', object: input.objects[0] ?? null, inFlight: [], queued, paused: false, cancelRequested,
    totals: { batchesSucceeded: 0, batchesWithErrors: 0, batchesFailed: 0, succeeded: 0, failed: 0, skipped: 0, retriesRequested: queued },
    runs: 1, historyLength: 0,
  }));
  // Stays open (like a job in its retry window) until the test terminates it. Temporal's cancellation
  // request (the API sends it with the cancel signal) starts a drain, as in the real workflow: the
  // job is being cancelled, and stays open meanwhile.
  try {
    await condition(() => false);
  } catch (err) {
    if (!isCancellation(err)) throw err;
    cancelRequested = true;
    await CancellationScope.nonCancellable(() => condition(() => false));
  }
}
