import type { DiffClass } from '../jobs/dry-run-diff.ts';
import type { TransactionSql } from '../db/client.ts';
import { MAX_FAILED_BATCHES, TOP_MESSAGES, type ReportInputs } from './report-model.ts';

/**
 * Reads a job's report aggregates in the caller's tenant-scoped transaction; undefined when the job
 * is not there (another tenant's, or none). Every query aggregates in PostgreSQL, so the result is
 * a few hundred rows at most whatever the size of the job.
 */
export async function readReportInputs(tx: TransactionSql, jobId: string): Promise<ReportInputs | undefined> {
  const [job] = await tx<{ id: string; status: string; objects: string[]; created_at: Date; started_at: Date | null; finished_at: Date | null }[]>`
    select id, status, objects, created_at, started_at, finished_at from freight.jobs where id = ${jobId}`;
  if (!job) return undefined;
  const records = await tx<ReportInputs['records']>`
    select object, status, count(*)::int as count, coalesce(sum(greatest(attempts - 1, 0)), 0)::int as retries,
           coalesce(sum(reference_rewrites), 0)::int as rewrites
    from freight.job_records where job_id = ${jobId} group by object, status order by object, status`;
  const batches = await tx<ReportInputs['batches']>`
    select status, count(*)::int as count, coalesce(sum(greatest(attempts - 1, 0)), 0)::int as retries,
           coalesce(sum(reference_rewrites), 0)::int as rewrites
    from freight.job_batches where job_id = ${jobId} group by status`;
  const byKind = await tx<{ errorKind: string | null; count: number }[]>`
    select error_kind as "errorKind", count(*)::int as count
    from freight.job_records where job_id = ${jobId} and status = 'failed' group by error_kind`;
  const byObject = await tx<{ object: string; count: number }[]>`
    select object, count(*)::int as count from freight.job_records where job_id = ${jobId} and status = 'failed' group by object`;
  const byBatch = await tx<ReportInputs['failedRecords']['byBatch']>`
    select batch_id as "batchId", min(object) as object, count(*)::int as count,
           mode() within group (order by error_kind) as "errorKind", mode() within group (order by error_message) as "errorMessage"
    from freight.job_records where job_id = ${jobId} and status = 'failed'
    group by batch_id order by count(*) desc, batch_id limit ${MAX_FAILED_BATCHES}`;
  const messages = await tx<ReportInputs['failedRecords']['messages']>`
    select error_kind as "errorKind", error_message as "errorMessage", count(*)::int as count
    from freight.job_records where job_id = ${jobId} and status = 'failed' and error_message is not null
    group by error_kind, error_message order by count(*) desc, error_message limit ${TOP_MESSAGES}`;
  const failedBatches = await tx<ReportInputs['failedBatches']>`
    select id as "batchId", object, error_kind as "errorKind", error_message as "errorMessage", record_count as records
    from freight.job_batches where job_id = ${jobId} and status = 'failed' order by id limit ${MAX_FAILED_BATCHES}`;
  const degraded = await tx<{ object: string; reason: string; count: number }[]>`
    select object, degraded as reason, count(*)::int as count from freight.job_records
    where job_id = ${jobId} and status = 'succeeded' and degraded is not null
    group by object, degraded order by count desc, object, degraded limit ${TOP_MESSAGES}`;
  const [degradedTotal] = await tx<{ count: number }[]>`
    select count(*)::int as count from freight.job_records where job_id = ${jobId} and status = 'succeeded' and degraded is not null`;
  const diff = await tx<{ object: string; diffClass: DiffClass; count: number }[]>`
    select object, diff_class as "diffClass", count(*)::int as count from freight.job_records
    where job_id = ${jobId} and diff_class is not null group by object, diff_class`;
  return {
    diff,
    degraded, degradedTotal: degradedTotal?.count ?? 0,
    job: { id: job.id, status: job.status, objects: job.objects, createdAt: job.created_at, startedAt: job.started_at, finishedAt: job.finished_at },
    records,
    batches,
    failedRecords: { byKind, byObject, byBatch, messages },
    failedBatches,
  };
}
