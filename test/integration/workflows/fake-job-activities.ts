import { ApplicationFailure, Context } from '@temporalio/activity';
import type { JobStatus } from '../../../workflows/migration-job/definitions.ts';

export interface FakeOptions {
  /** Pages per object kind. */
  pages: Record<string, number>;
  recordsPerBatch?: number;
  loadMs?: number;
  /** Batches whose load throws a retryable error until `heal()`. */
  failing?: Set<string>;
  /** The first this many extract calls fail with a transient error (a source briefly unavailable). */
  extractFailures?: number;
  /** Batches whose load fails at once with a job-fatal error (bad credentials). */
  fatal?: Set<string>;
  /** How long listing retry targets takes (a slow database). */
  listRetryTargetsMs?: number;
}

export interface LoadEvent {
  batchId: string;
  mode: string;
  startedAt: number;
  endedAt?: number;
  cancelled?: boolean;
}

/**
 * In-memory stand-ins for the job activities, to test the workflow's orchestration (order, window,
 * pause, cancel, retries, continue-as-new) on the real Temporal server in isolation.
 */
export function createFakeJobActivities(options: FakeOptions) {
  const perBatch = options.recordsPerBatch ?? 10;
  const failing = options.failing ?? new Set<string>();
  const failedBatches = new Set<string>();
  const log = {
    loads: [] as LoadEvent[], statuses: [] as JobStatus[], maxConcurrent: 0, extracts: 0, finished: undefined as string | undefined,
    markedFailed: [] as string[],
  };
  let concurrent = 0;

  const activities = {
    async beginJob(): Promise<void> {
      log.statuses.push('running');
    },
    async prepareTarget(): Promise<void> {},
    async extractBatch(input: { object: string; seq: number }) {
      log.extracts += 1;
      if (log.extracts <= (options.extractFailures ?? 0)) throw ApplicationFailure.create({ type: 'transient', message: 'source unavailable' });
      const pages = options.pages[input.object] ?? 0;
      return {
        batchId: `${input.object}-${String(input.seq).padStart(6, '0')}`,
        count: pages === 0 ? 0 : perBatch,
        nextCursor: input.seq + 1 < pages ? `cursor-${input.seq + 1}` : null,
      };
    },
    async loadBatch(input: { batchId: string; mode: string }) {
      const event: LoadEvent = { batchId: input.batchId, mode: input.mode, startedAt: Date.now() };
      log.loads.push(event);
      if (options.fatal?.has(input.batchId)) {
        event.endedAt = Date.now();
        throw ApplicationFailure.create({ type: 'auth', message: 'credentials revoked', nonRetryable: true });
      }
      concurrent += 1;
      log.maxConcurrent = Math.max(log.maxConcurrent, concurrent);
      try {
        const steps = Math.max(1, Math.round((options.loadMs ?? 30) / 10));
        for (let i = 0; i < steps; i += 1) {
          Context.current().heartbeat({ offset: i });
          await Context.current().sleep(10);
        }
        if (failing.has(input.batchId)) throw ApplicationFailure.create({ type: 'transient', message: `injected failure of ${input.batchId}` });
        failedBatches.delete(input.batchId);
        return { batchId: input.batchId, succeeded: perBatch, failed: 0, skipped: 0 };
      } catch (err) {
        if (Context.current().cancellationSignal.aborted) event.cancelled = true;
        throw err;
      } finally {
        event.endedAt = Date.now();
        concurrent -= 1;
      }
    },
    async markBatchFailed(input: { batchId: string }): Promise<void> {
      log.markedFailed.push(input.batchId);
      failedBatches.add(input.batchId);
    },
    async listRetryTargets(input: { scope: string }): Promise<string[]> {
      if (options.listRetryTargetsMs) await new Promise((r) => setTimeout(r, options.listRetryTargetsMs));
      // Stand-in records always resolve their references: the references pass finds nothing.
      return input.scope === 'unresolved-references' ? [] : [...failedBatches].sort();
    },
    async setJobStatus(input: { status: JobStatus }): Promise<void> {
      log.statuses.push(input.status);
    },
    async writeJobReport(): Promise<void> {},
    async finishJob(input: { outcome: 'done' | 'cancelled' | 'failed' }) {
      const status: JobStatus = input.outcome === 'cancelled' ? 'cancelled' : input.outcome === 'failed' ? 'failed'
        : failedBatches.size > 0 ? 'completed_with_errors' : 'completed';
      log.statuses.push(status);
      log.finished = status;
      return { status, failedRecords: 0, failedBatches: failedBatches.size };
    },
  };
  return { activities, log, heal: () => failing.clear() };
}
