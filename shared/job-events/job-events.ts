import type { TransactionSql } from '../db/client.ts';
import { shownPercent } from '../jobs/estimate.ts';
import { enqueueJobWebhooks } from '../webhooks/outbox.ts';

/** The NOTIFY channel the worker announces new events on; the payload is the job id. */
export const JOB_EVENTS_CHANNEL = 'freight_job_events';

export const TERMINAL_JOB_STATUSES: readonly string[] = ['completed', 'completed_with_errors', 'failed', 'cancelled'];

export interface ProgressData {
  /** Records with a final outcome (succeeded, failed or skipped). */
  processed: number;
  /** The job's estimate when it has one, else the records extracted so far (grows while extraction runs). */
  total: number;
  /** The job's estimated total (as in the job detail); null while it has none. */
  estimatedTotal: number | null;
  /**
   * processed ÷ estimatedTotal × 100 with one decimal, capped at 100 and never below the percent
   * shown before (the job detail's percent); null while the job has no estimate: the records read so
   * far are no denominator (a percent over them would fall each time a page is read).
   */
  percent: number | null;
  perObject: Record<string, { processed: number; total: number; succeeded: number; failed: number; skipped: number }>;
}

export interface BatchEventData {
  batchId: string;
  object: string;
  status: string;
  succeeded: number;
  failed: number;
  attempt: number;
}

/** `id` is the event's number within its job (1, 2, 3 …): what SSE sends as `id:`, never a platform-wide counter. */
export type JobEvent =
  | { id: number; type: 'status'; data: { status: string }; occurredAt: string }
  | { id: number; type: 'batch'; data: BatchEventData; occurredAt: string }
  | { id: number; type: 'progress'; data: ProgressData; occurredAt: string };

export type NewJobEvent = { type: 'status'; data: { status: string } } | { type: 'batch'; data: BatchEventData } | { type: 'progress'; data: ProgressData };

/** Progress from record-log counts and extracted batch sizes per object (pure; unit-tested). */
export function buildProgress(
  records: readonly { object: string; status: string; count: number }[],
  extracted: readonly { object: string; records: number }[],
  estimatedTotal: number | null,
  percentFloor = 0,
): ProgressData {
  const perObject: ProgressData['perObject'] = {};
  const entry = (object: string) => (perObject[object] ??= { processed: 0, total: 0, succeeded: 0, failed: 0, skipped: 0 });
  for (const e of extracted) entry(e.object).total += e.records;
  for (const r of records) {
    const o = entry(r.object);
    if (r.status === 'succeeded' || r.status === 'failed' || r.status === 'skipped') {
      o[r.status] += r.count;
      o.processed += r.count;
    }
  }
  let processed = 0;
  let extractedTotal = 0;
  for (const o of Object.values(perObject)) {
    // A record log can hold rows of a batch whose size is not known yet (never in practice): never below processed.
    o.total = Math.max(o.total, o.processed);
    processed += o.processed;
    extractedTotal += o.total;
  }
  const total = estimatedTotal ?? extractedTotal;
  return { processed, total, estimatedTotal, percent: shownPercent(processed, estimatedTotal, percentFloor), perObject };
}

/**
 * Current progress of a job, read in the caller's tenant-scoped transaction: record totals from
 * `job_record_counts` (kept exact by triggers on the record log, so a million-record job costs a
 * handful of rows, not a scan) and extracted totals from the batches.
 */
export async function readProgress(tx: TransactionSql, jobId: string): Promise<ProgressData> {
  const records = await tx<{ object: string; status: string; count: number }[]>`
    select object, status, records::int as count from freight.job_record_counts where job_id = ${jobId} and records > 0`;
  const extracted = await tx<{ object: string; records: number }[]>`
    select object, sum(record_count)::int as records from freight.job_batches where job_id = ${jobId} group by object`;
  const [job] = await tx<{ estimated_total: number | null; percent_floor: number }[]>`
    select estimated_total, percent_floor from freight.jobs where id = ${jobId}`;
  return buildProgress(records, extracted, job?.estimated_total ?? null, job?.percent_floor ?? 0);
}

/**
 * Appends events to a job's log and announces them, inside the caller's transaction (so an event
 * exists exactly when the change it reports was committed). Call it last in the transaction: the
 * per-job advisory lock it takes is held until commit, which keeps one job's ids in commit order.
 */
export async function appendJobEvents(tx: TransactionSql, ref: { tenantId: string; jobId: string }, events: readonly NewJobEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx`select pg_advisory_xact_lock(hashtextextended(${`job-events:${ref.jobId}`}, 0))`;
  // Webhooks' outbox, in this same transaction: a status change or failed batch is sent exactly when it commits.
  await enqueueJobWebhooks(tx, ref, events);
  // The lock makes the job's next numbers ours until commit.
  const [last] = await tx<{ seq: string | null }[]>`
    select max(seq) as seq from freight.job_events where tenant_id = ${ref.tenantId} and job_id = ${ref.jobId}`;
  const next = Number(last?.seq ?? 0) + 1;
  const rows = events.map((e, i) => ({ tenant_id: ref.tenantId, job_id: ref.jobId, seq: next + i, type: e.type, data: tx.json(e.data as never) }));
  await tx`insert into freight.job_events ${tx(rows, 'tenant_id', 'job_id', 'seq', 'type', 'data')}`;
  await tx`select pg_notify(${JOB_EVENTS_CHANNEL}, ${ref.jobId})`;
}

/** Appends a progress event computed now (after taking the lock, so progress never goes backwards). */
export async function appendWithProgress(
  tx: TransactionSql, ref: { tenantId: string; jobId: string }, events: readonly NewJobEvent[],
): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtextextended(${`job-events:${ref.jobId}`}, 0))`;
  const progress = await readProgress(tx, ref.jobId);
  await appendJobEvents(tx, ref, [...events, { type: 'progress', data: progress }]);
}

interface EventRow { seq: string; type: JobEvent['type']; data: unknown; occurred_at: Date }

/** Events of a job after its event number `afterId`, oldest first, at most `limit`. */
export async function readEventsAfter(tx: TransactionSql, jobId: string, afterId: number, limit = 500): Promise<JobEvent[]> {
  const rows = await tx<EventRow[]>`
    select seq, type, data, occurred_at from freight.job_events where job_id = ${jobId} and seq > ${afterId} order by seq limit ${limit}`;
  return rows.map((r) => ({ id: Number(r.seq), type: r.type, data: r.data, occurredAt: r.occurred_at.toISOString() }) as JobEvent);
}

/** The highest event number of a job (0 when none). */
export async function lastEventId(tx: TransactionSql, jobId: string): Promise<number> {
  const [row] = await tx<{ seq: string | null }[]>`select max(seq) as seq from freight.job_events where job_id = ${jobId}`;
  return Number(row?.seq ?? 0);
}
