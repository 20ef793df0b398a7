import type { TransactionSql } from '../db/client.ts';
import { estimatedTotalOf } from './call-plan.ts';
import { plannedByObject, refineEstimate, shownPercent, type EstimateBasis, type ExtractedKind } from './estimate.ts';
import type { JobOptions } from './job-model.ts';

/**
 * Refines a job's estimated total from what its batches have read so far (call it in the transaction
 * that records an extracted page). When the total changes, the percent shown just before is kept as
 * `percent_floor`, so a total that grows never pulls the percent back.
 *
 * Locks: the job row first, then the job's event lock (the record-count triggers' and the event
 * log's) — the order every other job transaction takes them in (status changes, finish), so none
 * of them can deadlock with this one; under the event lock the processed count cannot move.
 */
export async function refineJobEstimate(tx: TransactionSql, jobId: string): Promise<void> {
  const [job] = await tx<{ objects: string[]; options: JobOptions; estimated_total: number | null; estimate_basis: EstimateBasis | null; percent_floor: number }[]>`
    select objects, options, estimated_total, estimate_basis, percent_floor from freight.jobs where id = ${jobId} for no key update`;
  if (!job) return;
  const extracted = await tx<ExtractedKind[]>`
    select object, coalesce(sum(record_count), 0)::int as records, bool_or(next_cursor is null) as exhausted
    from freight.job_batches where job_id = ${jobId} group by object`;
  const plan = job.options.callPlan ?? null;
  const next = refineEstimate({
    objects: job.objects,
    planned: plannedByObject(plan, job.objects),
    // A plan without per-kind counts (made before they existed), or a total set by other means.
    fallbackTotal: estimatedTotalOf(plan ?? undefined) ?? job.estimated_total,
    extracted,
  });
  if (next.total === job.estimated_total && next.basis === (job.estimate_basis ?? (job.estimated_total === null ? null : 'call_plan'))) return;
  await tx`select pg_advisory_xact_lock(hashtextextended(${`job-events:${jobId}`}, 0))`;
  const [p] = await tx<{ processed: number }[]>`
    select coalesce(sum(records), 0)::int as processed from freight.job_record_counts
    where job_id = ${jobId} and status in ('succeeded', 'failed', 'skipped')`;
  const floor = shownPercent(p?.processed ?? 0, job.estimated_total, job.percent_floor) ?? job.percent_floor;
  await tx`
    update freight.jobs set estimated_total = ${next.total}, estimate_basis = ${next.basis}, percent_floor = ${floor}
    where id = ${jobId}`;
}
