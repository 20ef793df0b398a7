import {
  ActivityCancellationType, allHandlersFinished, ApplicationFailure, CancellationScope, CancelledFailure, condition, continueAsNew,
  isCancellation, log, ParentClosePolicy, patched, proxyActivities, proxyLocalActivities, setHandler, startChild, upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import { describeFailure } from './failures.ts';
import { RECONCILE_JOB_WORKFLOW, reconcileWorkflowId, type ReconcileJobInput } from '../reconcile-job/definitions.ts';
import { AUTH, CONFIG, JOB_FAILED, NON_RETRYABLE_ERROR_KINDS, OUTBOUND_REFUSED, QUOTA_EXCEEDED } from '../../shared/error-kinds.ts';
import {
  cancelSignal, JOB_STATUS_KEY, pauseSignal, progressQuery, requestRetryUpdate, resumeSignal, retryBatchSignal, retryFailedSignal,
  type JobResult, type JobStatus, type LoadMode, type MigrationJobInput, type RetryRequest, type RetryScope,
} from './definitions.ts';
import {
  addOutcome, allDone, carry, currentKind, initialState, mayLoad, maybeAdvanceKind, nextRetryIndex, objectOfBatch, queueRetry, settleTotals, type LoadTask,
} from './state.ts';

const DEFAULT_MAX_HISTORY_EVENTS = 2_000;
const DEFAULT_RETRY_WINDOW_MS = 24 * 3600_000;
/** Extracted-but-not-loaded batches kept ready, so the load window never waits on a source read. */
const PREFETCH = 2;
/** Errors after which no further batch can succeed: the job fails instead of failing every batch. */
const JOB_FATAL_KINDS: readonly string[] = [AUTH, CONFIG, QUOTA_EXCEEDED, OUTBOUND_REFUSED];

/** One migration job: batches of each object kind, in dependency order, through a bounded window. */
export async function migrationJob(input: MigrationJobInput): Promise<JobResult> {
  const p = input.retryPolicy;
  const retry = {
    // Temporal refuses a maximum below the initial interval; min() gives the documented waits (retryWaitMs).
    initialInterval: Math.min(p.initialIntervalMs, p.maximumIntervalMs),
    backoffCoefficient: p.backoffCoefficient,
    maximumInterval: p.maximumIntervalMs,
    nonRetryableErrorTypes: [...new Set([...p.nonRetryable, ...NON_RETRYABLE_ERROR_KINDS])],
  };
  const batchOptions = {
    startToCloseTimeout: '10 minutes',
    // Batch activities heartbeat from a timer every few seconds whatever they wait on: a live
    // attempt is never timed out, and a dead worker's attempt is retried within 15 s.
    heartbeatTimeout: '15 seconds',
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  } as const;
  const batchActs = proxyActivities<Activities>({ ...batchOptions, retry: { ...retry, maximumAttempts: p.maxAttempts } });
  // A failed source read fails the whole job (later pages and kinds depend on it), so a transient
  // failure (5xx, a timeout, an outage) is retried with the job's backoff for as long as an hour
  // rather than for the policy's few attempts; non-retryable kinds still fail at once.
  const extractActs = proxyActivities<Activities>({ ...batchOptions, scheduleToCloseTimeout: '1 hour', retry });
  // Bookkeeping must outlast a PostgreSQL outage: retried until it succeeds, unless the error is one
  // no retry can fix (activities/jobs/failures.ts marks those non-retryable).
  const bookRetry = { initialInterval: '200 ms', maximumInterval: '10 seconds', backoffCoefficient: 2 };
  // Reports read the whole record log and write to S3: an ordinary activity, as before.
  const reports = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: bookRetry });
  // Bookkeeping runs as local activities, in the slot of the workflow's own worker: a status change
  // or a retry's target list never queues behind ten-minute loads holding every activity slot, so the
  // API's retry update is answered within its deadline. Each call is a few milliseconds of SQL; the
  // short timeout retries a call stuck on a dead connection. The patch keeps histories recorded
  // with ordinary bookkeeping activities replayable.
  const book = patched('local-bookkeeping')
    ? proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: bookRetry })
    : reports;
  const searchStatus = (value: JobStatus): void => upsertSearchAttributes([{ key: JOB_STATUS_KEY, value }]);
  const ref = { tenantId: input.tenantId, jobId: input.jobId };
  // Report JSON + CSV to S3 at every terminal status (again after retries change it); the patch
  // keeps histories recorded before reports existed replayable.
  const writeReport = async (): Promise<void> => {
    if (patched('job-report')) await reports.writeJobReport(ref);
  };
  // Once the job has written what it could, its reconciliation starts as a workflow of its own that
  // outlives this one (abandoned, not awaited): it cannot change the job's outcome, and a start that
  // fails is only logged. Again after retries finish the job anew. The patch keeps older histories replayable.
  let reconciliations = 0;
  const startReconciliation = async (): Promise<void> => {
    // An undo job takes the target away from the source on purpose: nothing to reconcile.
    if (input.dryRun || input.kind === 'undo' || !patched('reconcile-after-job')) return;
    reconciliations += 1;
    try {
      await startChild(RECONCILE_JOB_WORKFLOW, {
        workflowId: reconcileWorkflowId(input.jobId, `auto-${workflowInfo().runId}-${reconciliations}`),
        args: [{ ...ref, trigger: 'auto' } satisfies ReconcileJobInput],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch (err) {
      log.warn('reconciliation not started', { jobId: input.jobId, error: String(err) });
    }
  };
  // The workflow's root scope: cancelled when Temporal itself is asked to cancel the workflow.
  const root = CancellationScope.current();
  const objects = input.objects;
  const s = initialState(input, Date.now());
  const loads = new CancellationScope();
  let status: JobStatus = s.paused ? 'paused' : 'running';
  // Every event that may let the loop do more bumps this; the loop sleeps until it moves.
  let changes = 0;
  const changed = (): void => {
    changes += 1;
  };

  const setStatus = async (next: JobStatus, reason?: string): Promise<void> => {
    if (next === status) return;
    status = next;
    searchStatus(next);
    await book.setJobStatus({ ...ref, status: next, ...(reason ? { reason } : {}) });
  };
  const queueScope = async (scope: RetryScope): Promise<number> => {
    const ids = await book.listRetryTargets({ ...ref, scope });
    const mode: LoadMode = scope === 'failed-records' ? 'failed-only' : 'all';
    return ids.filter((batchId) => queueRetry(s, { batchId, mode, ...(scope === 'failed-batches' ? { wasFailed: true } : {}) })).length;
  };
  // Set once the workflow has decided to return: nothing queued after that would run.
  let closing = false;
  const retryRefusal = (): string | undefined => {
    if (s.cancelRequested) return 'job is being cancelled';
    if (s.fatal) return `job is failing (${s.fatal.kind})`;
    if (closing || status === 'completed' || status === 'cancelled' || status === 'failed') return `job is ${status}, no longer open for retries`;
    return undefined;
  };
  // A retry handler awaits its target list: returning or continuing as new before it finishes would
  // drop the retry (and fail an accepted update), so every exit waits for the handlers first.
  const handlersFinished = (): Promise<void> => condition(allHandlersFinished);
  const close = async (result: JobResult): Promise<JobResult> => {
    closing = true;
    await handlersFinished();
    return result;
  };
  const requestRetry = async (req: RetryRequest): Promise<number> => {
    const queued = req.batchId ? Number(queueRetry(s, { batchId: req.batchId, mode: 'all' })) : req.scope ? await queueScope(req.scope) : 0;
    // Records fixed by this retry may be what others referenced: check references again afterwards.
    if (queued > 0) s.referencesPassDone = false;
    changed();
    return queued;
  };

  // Async handlers (not fire-and-forget) so allHandlersFinished sees a retry still reading its targets.
  setHandler(retryBatchSignal, async ({ batchId }) => {
    await requestRetry({ batchId });
  });
  setHandler(retryFailedSignal, async ({ scope }) => {
    await requestRetry({ scope });
  });
  setHandler(requestRetryUpdate, async (req) => {
    const queued = await requestRetry(req);
    return { accepted: queued > 0, queued, ...(queued === 0 ? { reason: 'nothing to retry (already queued or running, or no failures)' } : {}) };
  }, {
    // Refuses what the workflow would not run: a caller told "accepted" must see the retry happen.
    validator: (req) => {
      if (!req.batchId === !req.scope) throw new Error('give exactly one of batchId or scope');
      const refusal = retryRefusal();
      if (refusal) throw new Error(refusal);
    },
  });
  setHandler(pauseSignal, () => {
    s.paused = true;
    changed();
  });
  setHandler(resumeSignal, () => {
    s.paused = false;
    changed();
  });
  setHandler(cancelSignal, (arg) => {
    s.cancelRequested = true;
    s.cancelReason = arg?.reason ?? 'cancelled by request';
    loads.cancel();
    changed();
  });
  setHandler(progressQuery, () => ({
    status, object: currentKind(s, objects), inFlight: [...s.inFlight], queued: s.ready.length + s.retries.length,
    paused: s.paused, cancelRequested: s.cancelRequested, totals: s.totals, runs: s.runs, historyLength: workflowInfo().historyLength,
  }));

  const runLoad = (task: LoadTask): void => {
    const kind = objectOfBatch(task.batchId);
    s.inFlight.add(task.batchId);
    s.inFlightByKind.set(kind, (s.inFlightByKind.get(kind) ?? 0) + 1);
    void loads.run(() => batchActs.loadBatch({ ...ref, batchId: task.batchId, mode: task.mode, dryRun: input.dryRun }))
      .then((outcome) => addOutcome(s.totals, outcome, task))
      .catch(async (err: unknown) => {
        if (isCancellation(err) || s.cancelRequested) return;
        const failure = describeFailure(err);
        if (JOB_FATAL_KINDS.includes(failure.kind)) s.fatal = failure;
        s.totals.batchesFailed += 1;
        await book.markBatchFailed({ ...ref, batchId: task.batchId, errorKind: failure.kind, errorMessage: failure.message });
      })
      .finally(() => {
        s.inFlight.delete(task.batchId);
        s.inFlightByKind.set(kind, (s.inFlightByKind.get(kind) ?? 1) - 1);
        changed();
      });
  };

  const runExtract = (kind: string): void => {
    s.extracting = true;
    const seq = s.seq;
    void loads.run(() => extractActs.extractBatch({ ...ref, object: kind, seq, cursor: s.cursor, batchSize: input.batchSize }))
      .then((r) => {
        s.seq = seq + 1;
        s.cursor = r.nextCursor;
        s.exhausted = r.nextCursor === null;
        if (r.count > 0) s.ready.push(r.batchId);
      })
      .catch((err: unknown) => {
        if (isCancellation(err) || s.cancelRequested) return;
        // A source that cannot be read any further fails the job: later kinds depend on this one.
        const failure = describeFailure(err);
        s.fatal = { kind: failure.kind, message: `reading ${kind}: ${failure.message}` };
      })
      .finally(() => {
        s.extracting = false;
        changed();
      });
  };

  // Reading the next kind while this one's last batches load removes the idle gap at every kind
  // boundary; the patch keeps histories recorded before it replayable.
  const overlapKinds = patched('overlap-kinds');
  // Retries start in kind order (earlier kinds first, as in the first pass); the patch keeps histories
  // recorded before it, which started them in queue order, replayable.
  const orderedRetries = patched('retry-kind-order');
  const takeRetry = (): LoadTask | undefined => {
    if (!orderedRetries) return s.retries.shift();
    const index = nextRetryIndex(s, objects);
    return index < 0 ? undefined : s.retries.splice(index, 1)[0];
  };
  const maxEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const wantsNewRun = (): boolean => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > maxEvents;

  /** Starts whatever the window and the pause state allow; true if it started anything. */
  const dispatch = (): boolean => {
    if (s.paused || s.fatal || wantsNewRun()) return false;
    let started = false;
    while (s.inFlight.size < input.concurrency) {
      const next = s.ready[0];
      const task = takeRetry()
        ?? (next !== undefined && (!overlapKinds || mayLoad(s, objects, next)) ? { batchId: s.ready.shift() as string, mode: 'all' as const } : undefined);
      if (!task) break;
      runLoad(task);
      started = true;
    }
    const kind = currentKind(s, objects);
    if (kind !== null && !s.exhausted && !s.extracting && s.ready.length < PREFETCH) {
      runExtract(kind);
      started = true;
    }
    return maybeAdvanceKind(s, objects, overlapKinds) || started;
  };

  try {
    if (!input.carried) {
      searchStatus('running');
      await book.beginJob(ref);
      try {
        await loads.run(() => batchActs.prepareTarget({ ...ref, objects, dryRun: input.dryRun }));
      } catch (err) {
        if (isCancellation(err)) throw err;
        // Bad credentials, a missing connection, an unusable source or target: settle the job as failed.
        // The activity's message names the side and the step (reading the source fields, preparing the target schema).
        const failure = describeFailure(err);
        s.fatal = { kind: failure.kind, message: `preparing the job: ${failure.message}` };
      }
    }
    for (;;) {
      const seen = changes;
      while (dispatch()) { /* fill the window */ }
      await setStatus(s.paused ? 'paused' : 'running');
      if (s.fatal || s.cancelRequested) break;
      if (allDone(s, objects) && !s.referencesPassDone) {
        // Organizations and persons reference each other: once every kind is written, rewrite the
        // records whose references could not be resolved then (once; orphaned ids stay unresolved).
        s.referencesPassDone = true;
        const ids = await book.listRetryTargets({ ...ref, scope: 'unresolved-references' });
        for (const batchId of ids) s.retries.push({ batchId, mode: 'unresolved-only' });
        if (ids.length > 0) continue;
      }
      if (allDone(s, objects)) {
        const finished = await book.finishJob({ ...ref, outcome: 'done', totals: s.totals });
        settleTotals(s, finished.totals);
        status = finished.status;
        searchStatus(status);
        await writeReport();
        await startReconciliation();
        if (finished.status !== 'completed_with_errors') return close({ status, totals: s.totals, runs: s.runs });
        // Stay open for retry signals (API, dashboard, `temporal workflow signal`) for a while.
        const retried = await condition(() => s.retries.length > 0 || s.cancelRequested, input.retryWindowMs ?? DEFAULT_RETRY_WINDOW_MS);
        if (!retried) await handlersFinished();
        // A retry whose handler finished while the window closed still runs.
        if (s.retries.length === 0 || s.cancelRequested) return close({ status, totals: s.totals, runs: s.runs });
        continue;
      }
      if (wantsNewRun() && s.inFlight.size === 0 && !s.extracting) {
        await handlersFinished();
        await continueAsNew<typeof migrationJob>({ ...input, carried: carry(s) });
      }
      await condition(() => changes !== seen);
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    s.cancelRequested = true;
    s.cancelReason ??= 'workflow cancelled';
    loads.cancel();
  }
  // Cancellation or a fatal error: wait for in-flight activities to acknowledge, then settle the books.
  const outcome = s.cancelRequested ? 'cancelled' : 'failed';
  const reason = s.cancelRequested ? s.cancelReason : `${s.fatal?.kind}: ${s.fatal?.message}`;
  const result = await CancellationScope.nonCancellable(async () => {
    await condition(() => s.inFlight.size === 0 && !s.extracting);
    closing = true;
    const finished = await book.finishJob({ ...ref, outcome, totals: s.totals, ...(reason ? { reason } : {}) });
    settleTotals(s, finished.totals);
    searchStatus(finished.status);
    await writeReport();
    return close({ status: finished.status, totals: s.totals, runs: s.runs });
  });
  // Books settled: close in the Temporal status that matches the job, so the Web UI and `temporal
  // workflow list` tell the truth (the patch keeps histories that closed Completed replayable).
  // Temporal closes a workflow Canceled only when it was asked to cancel it (the API does, besides
  // the signal carrying the reason); after the `cancel` signal alone it closes Completed.
  if (patched('close-status')) {
    if (result.status === 'failed') {
      throw ApplicationFailure.create({ type: JOB_FAILED, message: reason ?? 'job failed', nonRetryable: true, details: [result] });
    }
    if (result.status === 'cancelled' && root.consideredCancelled) throw new CancelledFailure(reason ?? 'job cancelled', [result]);
  }
  return result;
}
