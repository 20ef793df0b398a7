/**
 * Inputs and outputs of the job activities. Only ids, cursors, counts and S3 keys cross into
 * workflow history (claim check): record payloads stay in S3 and PostgreSQL.
 */
import type { JobStatus, LoadMode, RetryScope, Totals } from '../../workflows/migration-job/definitions.ts';

export interface JobRef {
  tenantId: string;
  jobId: string;
}

export interface ExtractBatchInput extends JobRef {
  object: string;
  seq: number;
  cursor: string | null;
  batchSize: number;
}

export interface ExtractBatchResult {
  batchId: string;
  count: number;
  nextCursor: string | null;
}

export interface LoadBatchInput extends JobRef {
  batchId: string;
  mode: LoadMode;
  dryRun: boolean;
}

export interface BatchOutcome {
  batchId: string;
  succeeded: number;
  failed: number;
  skipped: number;
}

export interface MarkBatchFailedInput extends JobRef {
  batchId: string;
  errorKind: string;
  errorMessage: string;
}

export interface SetJobStatusInput extends JobRef {
  status: JobStatus;
  reason?: string;
}

export interface FinishJobInput extends JobRef {
  /** done: every batch ran (the activity decides completed vs completed_with_errors from the log). */
  outcome: 'done' | 'cancelled' | 'failed';
  reason?: string;
  totals: Totals;
}

export interface FinishJobResult {
  status: JobStatus;
  failedRecords: number;
  failedBatches: number;
  /** The job's counts as the record log and batch table hold them (the workflow's totals take these). */
  totals?: Omit<Totals, 'retriesRequested'>;
}

export interface ListRetryTargetsInput extends JobRef {
  /** `unresolved-references`: batches with records written before the records they reference. */
  scope: RetryScope | 'unresolved-references';
}
