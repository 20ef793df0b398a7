import type { TransactionSql } from '../db/client.ts';
import type { Progress } from '../../workflows/migration-job/definitions.ts';
import type { Job, JobRow } from './job-model.ts';
import type { JobRun } from './job-runs.ts';
import { batchCounts, computeProgress, recordCounts, type BatchCounts, type JobProgressDetail, type RecordCounts } from './job-progress.ts';

/** One job with what it has done so far. */
export interface JobDetail extends Job {
  /** Record-log rows per object and status. */
  counts: RecordCounts;
  /** Batches per status. */
  batches: BatchCounts;
  /** Succeeded records migrated in a documented degraded form (a part of the succeeded counts). */
  degraded: number;
  progress: JobProgressDetail;
  /** The job's workflow executions, oldest first: its first run, then each resume or reopen (shared/jobs/job-runs.ts). */
  runs: JobRun[];
  /** The workflow's own live view (progress query); absent when it did not answer quickly. */
  live?: Progress;
}

/** Counts for the detail view, read in the caller's tenant-scoped transaction. */
export async function readCounts(tx: TransactionSql, row: JobRow, now: number): Promise<Pick<JobDetail, 'counts' | 'batches' | 'degraded' | 'progress'>> {
  // Totals kept by the record log's triggers (migration 0040): no scan of the job's records.
  const records = await tx<{ object: string; status: string; count: number }[]>`
    select object, status, records::int as count from freight.job_record_counts where job_id = ${row.id} and records > 0`;
  const batches = await tx<{ status: string; count: number }[]>`
    select status, count(*)::int as count from freight.job_batches where job_id = ${row.id} group by status`;
  const [degraded] = await tx<{ count: number }[]>`
    select count(*)::int as count from freight.job_records where job_id = ${row.id} and status = 'succeeded' and degraded is not null`;
  const counts = recordCounts(records);
  return {
    counts,
    degraded: degraded?.count ?? 0,
    batches: batchCounts(batches),
    progress: computeProgress({
      counts, estimatedTotal: row.estimated_total, estimateBasis: row.estimate_basis, callPlan: row.options.callPlan ?? null,
      percentFloor: row.percent_floor, startedAt: row.started_at, finishedAt: row.finished_at, status: row.status, now,
    }),
  };
}
