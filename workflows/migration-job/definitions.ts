/**
 * The public surface of the migration job workflow: its id, input, signals, queries and updates.
 * The API and `temporal workflow signal` use exactly these names with plain JSON input.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

export const MIGRATION_JOB_WORKFLOW = 'migrationJob';
/** An undo job (issue 17): the same workflow under its own type, so Temporal's tools tell them apart. */
export const UNDO_JOB_WORKFLOW = 'undoJob';

/** The job's status as a search attribute (`temporal workflow list --query "JobStatus='failed'"`). */
export const JOB_STATUS_KEY = defineSearchAttributeKey('JobStatus', SearchAttributeType.KEYWORD);

/** Business-key workflow id: one workflow per job, in the tenant's namespace. */
export function jobWorkflowId(jobId: string): string {
  return `job-${jobId}`;
}

export const JOB_STATUSES = ['pending', 'running', 'paused', 'completed', 'completed_with_errors', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'completed_with_errors', 'failed', 'cancelled'];

export interface JobRetryPolicy {
  maxAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  /** Error kinds (shared/error-kinds.ts) that fail a batch at once. */
  nonRetryable: string[];
}

export type RetryScope = 'failed-records' | 'failed-batches';

/** What a run hands the next one at continue-as-new: ids, cursors and counts only. */
export interface CarriedState {
  kindIndex: number;
  cursor: string | null;
  seq: number;
  exhausted: boolean;
  /** Extracted batches not yet loaded. */
  ready: string[];
  retries: Array<{ batchId: string; mode: LoadMode; wasFailed?: boolean }>;
  paused: boolean;
  /** The one pass that rewrites records whose references were not migrated yet has run. */
  referencesPassDone: boolean;
  totals: Totals;
  runs: number;
  startedAtMs: number;
}

/**
 * all: every record; failed-only: records that failed; unresolved-only: records written before what they
 * reference; unfinished: every record whose latest outcome is not succeeded or skipped (a batch a failed
 * job left half-done, loaded again by its resumed run without rewriting what it had written).
 */
export type LoadMode = 'all' | 'failed-only' | 'unresolved-only' | 'unfinished';

export interface Totals {
  batchesSucceeded: number;
  batchesWithErrors: number;
  batchesFailed: number;
  succeeded: number;
  failed: number;
  skipped: number;
  retriesRequested: number;
}

export interface MigrationJobInput {
  tenantId: string;
  jobId: string;
  /** Object kinds in dependency order (companies → people → deals → lists → notes). */
  objects: string[];
  batchSize: number;
  concurrency: number;
  retryPolicy: JobRetryPolicy;
  dryRun: boolean;
  /** Continue-as-new once a run's history passes this many events (bounded history). */
  maxHistoryEvents?: number;
  /** After finishing with errors, how long the job stays open for retry signals. */
  retryWindowMs?: number;
  carried?: CarriedState;
  /** `undo`: started as the `undoJob` workflow type (absent: a migration). */
  kind?: 'undo';
}

export interface JobResult {
  status: JobStatus;
  totals: Totals;
  /** Workflow runs this job took (continue-as-new keeps each run's history bounded). */
  runs: number;
}

export interface Progress {
  status: JobStatus;
  object: string | null;
  inFlight: string[];
  queued: number;
  paused: boolean;
  cancelRequested: boolean;
  totals: Totals;
  runs: number;
  historyLength: number;
}

export interface RetryBatchInput {
  batchId: string;
}
export interface RetryFailedInput {
  scope: RetryScope;
}
export interface CancelInput {
  reason?: string;
}

export const retryBatchSignal = defineSignal<[RetryBatchInput]>('retryBatch');
export const retryFailedSignal = defineSignal<[RetryFailedInput]>('retryFailed');
export const pauseSignal = defineSignal<[]>('pause');
export const resumeSignal = defineSignal<[]>('resume');
export const cancelSignal = defineSignal<[CancelInput?]>('cancel');
export const progressQuery = defineQuery<Progress>('progress');

export interface RetryRequest {
  batchId?: string;
  scope?: RetryScope;
}
export interface RetryAnswer {
  accepted: boolean;
  /** Batches queued by this request (for scope requests, known once the failed list is read). */
  queued: number;
  reason?: string;
  /** Set when the job's workflow had closed and the retry started a new run of the job. */
  run?: { seq: number; runId: string };
}
/** Same as the retry signals, but the caller learns whether the request was accepted. */
export const requestRetryUpdate = defineUpdate<RetryAnswer, [RetryRequest]>('requestRetry');
