import type postgres from 'postgres';
import type { Sql, TransactionSql } from '../../shared/db/client.ts';
import { withTenant } from '../../shared/db/scope.ts';
import { jobWorkflowId, type JobStatus, type RetryScope, type Totals } from '../../workflows/migration-job/definitions.ts';
import { activitySignal } from './activity-signal.ts';
import type { FinishJobResult, JobRef } from './contract.ts';
import type { JobRow as FullJobRow } from '../../shared/jobs/job-model.ts';
import { appendJobEvents, appendWithProgress } from '../../shared/job-events/job-events.ts';
import { refineJobEstimate } from '../../shared/jobs/job-estimate.ts';
import { closeOpenRun, recordFirstRun } from '../../shared/jobs/job-runs.ts';
import { announceUndoFinished } from './undo/undo-finished.ts';
import type { DiffClass, FieldChange } from '../../shared/jobs/dry-run-diff.ts';

/** The columns of a job the activities read (the row type is the API's, in shared/jobs). */
export type JobRow = Pick<FullJobRow, 'id' | 'tenant_id' | 'status' | 'source_connection_id' | 'target_connection_id' | 'objects' | 'batch_size' | 'dry_run' | 'options'> & {
  /** Absent on rows built by older tests: a migration. */
  kind?: FullJobRow['kind'];
  undo_of?: string | null;
  /** The job's latest run (job_runs.seq; null before its first is recorded): a resumed run builds its connectors afresh. */
  run_seq?: number | null;
};

export interface BatchRow {
  id: string;
  object: string;
  seq: number;
  status: string;
  record_count: number;
  source_key: string | null;
  next_cursor: string | null;
  attempts: number;
}

/** One record's latest outcome, as written to the record log. */
export interface RecordOutcome {
  object: string;
  sourceId: string;
  batchId: string;
  status: 'succeeded' | 'failed' | 'retrying' | 'skipped';
  targetObject: string | null;
  targetId: string | null;
  action: string | null;
  errorKind: string | null;
  errorMessage: string | null;
  note: string | null;
  /** References not resolvable when written (0 when none). */
  unresolved?: number;
  /** Succeeded in a documented degraded form: why (null/absent = migrated faithfully). */
  degraded?: string | null;
  /** Dry-run diff (pairs with a preview): what a real run would do, and an update's field changes. */
  diffClass?: DiffClass | null;
  diffChanges?: FieldChange[] | null;
}

const TERMINAL = ['completed', 'completed_with_errors', 'failed', 'cancelled'];

export interface JobStoreOptions {
  /** Read at each call: aborting it ends that call's wait (default: the running activity's cancellation). */
  signal?: () => AbortSignal | undefined;
}

/**
 * PostgreSQL side of the job activities; every statement runs under the job tenant's RLS scope,
 * and every wait for it ends as soon as the calling activity is cancelled.
 */
export function createJobStore(sql: Sql, options: JobStoreOptions = {}) {
  const signal = options.signal ?? activitySignal;
  const scoped = <T>(ref: JobRef, fn: Parameters<typeof withTenant<T>>[2]) => withTenant(sql, ref.tenantId, fn, { signal: signal() });

  return {
    /** Resolves once the database answers (the probe of an activity waiting out an outage). */
    async ping(): Promise<void> {
      await sql`select 1`;
    },

    async getJob(ref: JobRef): Promise<JobRow | undefined> {
      return scoped(ref, async (tx) => {
        const [job] = await tx<JobRow[]>`
          select id, tenant_id, status, kind, undo_of, source_connection_id, target_connection_id, objects, batch_size, dry_run, options,
            (select max(seq) from freight.job_runs r where r.job_id = jobs.id)::int as run_seq
          from freight.jobs where id = ${ref.jobId}`;
        return job;
      });
    },

    /** pending → running (first run only; a retried activity finds it running already), and the job's first run. */
    async begin(ref: JobRef, runId: string | null = null): Promise<void> {
      await scoped(ref, async (tx) => {
        await recordFirstRun(tx, ref, jobWorkflowId(ref.jobId), runId);
        const changed = await tx`
          update freight.jobs set status = 'running', started_at = coalesce(started_at, now()), updated_at = now()
          where id = ${ref.jobId} and status = 'pending' returning id`;
        if (changed.length > 0) await appendJobEvents(tx, ref, [{ type: 'status', data: { status: 'running' } }]);
      });
    },

    async setStatus(ref: JobRef, status: JobStatus, reason?: string): Promise<void> {
      await scoped(ref, async (tx) => {
        const [before] = await tx<{ status: string }[]>`select status from freight.jobs where id = ${ref.jobId} for update`;
        const changed = await tx`
          update freight.jobs set status = ${status}, updated_at = now(),
            cancel_reason = case when ${status} = 'cancelled' then ${reason ?? null} else cancel_reason end
          where id = ${ref.jobId} and (status <> all(${TERMINAL}) or ${status} = 'running') returning id`;
        // Live updates: only a real change is an event (a retried activity finds the status already set).
        if (changed.length > 0 && before?.status !== status) await appendJobEvents(tx, ref, [{ type: 'status', data: { status } }]);
      });
    },

    /**
     * Extracted page → batch row, and the job's estimated total refined with it. Idempotent: a
     * repeated extract of the same seq returns the first result.
     */
    async recordExtracted(ref: JobRef, b: { id: string; object: string; seq: number; cursor: string | null; nextCursor: string | null; count: number; sourceKey: string }): Promise<BatchRow> {
      return scoped(ref, async (tx) => {
        // The job row before anything else: refineJobEstimate's lock order (row, then the event lock).
        await tx`select 1 from freight.jobs where id = ${ref.jobId} for no key update`;
        await tx`
          insert into freight.job_batches (tenant_id, job_id, id, object, seq, source_cursor, next_cursor, record_count, source_key)
          values (${ref.tenantId}, ${ref.jobId}, ${b.id}, ${b.object}, ${b.seq}, ${b.cursor}, ${b.nextCursor}, ${b.count}, ${b.sourceKey})
          on conflict (tenant_id, job_id, id) do nothing`;
        const [row] = await tx<BatchRow[]>`
          select id, object, seq, status, record_count, source_key, next_cursor, attempts
          from freight.job_batches where job_id = ${ref.jobId} and id = ${b.id}`;
        if (!row) throw new Error(`batch ${b.id} vanished`);
        // Each page read refines the job's total (a kind read to its end is counted exactly).
        await refineJobEstimate(tx, ref.jobId);
        return row;
      });
    },

    async getBatch(ref: JobRef, batchId: string): Promise<BatchRow | undefined> {
      return scoped(ref, async (tx) => {
        const [row] = await tx<BatchRow[]>`
          select id, object, seq, status, record_count, source_key, next_cursor, attempts
          from freight.job_batches where job_id = ${ref.jobId} and id = ${batchId}`;
        return row;
      });
    },

    /**
     * Marks a batch running. A references-pass load (`rewrite`) counts in `reference_rewrites`,
     * not `attempts`: rewriting what was written before its references existed is part of a clean
     * job, and `attempts − 1` is what the report and /v1/stats call retries.
     */
    async startAttempt(ref: JobRef, batchId: string, kind: 'attempt' | 'rewrite' = 'attempt'): Promise<void> {
      const rewrite = kind === 'rewrite' ? 1 : 0;
      await scoped(ref, (tx) => tx`
        update freight.job_batches set status = 'running', attempts = attempts + ${1 - rewrite}, reference_rewrites = reference_rewrites + ${rewrite},
          first_started_at = coalesce(first_started_at, now()), last_started_at = now(), error_kind = null, error_message = null
        where job_id = ${ref.jobId} and id = ${batchId}`);
    },

    /**
     * Writes a batch's record outcomes in one statement (one round trip per flush, not per record).
     * The log keeps one row per source record: a later attempt replaces the outcome and counts up
     * `attempts`, a references-pass rewrite (`rewrite`) counts up `reference_rewrites` instead.
     */
    async writeOutcomes(ref: JobRef, outcomes: readonly RecordOutcome[], kind: 'attempt' | 'rewrite' = 'attempt'): Promise<void> {
      const rewrite = kind === 'rewrite' ? 1 : 0;
      if (outcomes.length === 0) return;
      const rows = outcomes.map((o) => ({
        tenant_id: ref.tenantId, job_id: ref.jobId, object: o.object, source_id: o.sourceId, batch_id: o.batchId,
        target_object: o.targetObject, target_id: o.targetId, status: o.status, action: o.action,
        error_kind: o.errorKind, error_message: o.errorMessage?.slice(0, 2000) ?? null, note: o.note?.slice(0, 2000) ?? null, unresolved: o.unresolved ?? 0,
        degraded: o.status === 'succeeded' ? (o.degraded?.slice(0, 2000) ?? null) : null,
        diff_class: o.diffClass ?? null, diff_changes: o.diffChanges ?? null,
      }));
      await scoped(ref, (tx) => tx`
        insert into freight.job_records ${tx(rows.map((r) => ({ ...r, diff_changes: r.diff_changes === null ? null : tx.json(r.diff_changes as unknown as postgres.JSONValue) })), 'tenant_id', 'job_id', 'object', 'source_id', 'batch_id', 'target_object', 'target_id', 'status', 'action', 'error_kind', 'error_message', 'note', 'unresolved', 'degraded', 'diff_class', 'diff_changes')}
        on conflict (tenant_id, job_id, object, source_id) do update set
          batch_id = excluded.batch_id, target_object = coalesce(excluded.target_object, job_records.target_object),
          target_id = coalesce(excluded.target_id, job_records.target_id), status = excluded.status, action = excluded.action,
          error_kind = excluded.error_kind, error_message = excluded.error_message, note = excluded.note,
          diff_class = excluded.diff_class, diff_changes = excluded.diff_changes,
          degraded = case when excluded.status = 'retrying' then job_records.degraded else excluded.degraded end,
          unresolved = case when excluded.status = 'retrying' then job_records.unresolved else excluded.unresolved end,
          attempts = job_records.attempts + ${1 - rewrite}, reference_rewrites = job_records.reference_rewrites + ${rewrite},
          last_attempt_at = now()`);
    },

    /**
     * Source ids of a batch to rerun — latest outcome failed, or written with unresolved references —
     * each with the number of references it was written without (null: it must be rerun whatever
     * resolves now, i.e. it failed or was left `retrying`).
     */
    async sourceIdsToRerun(ref: JobRef, batchId: string, which: 'failed' | 'unresolved'): Promise<Map<string, number | null>> {
      return scoped(ref, async (tx) => {
        // A record left `retrying` by an interrupted attempt is unfinished business in either mode.
        const rows = which === 'failed'
          ? await tx<{ source_id: string; unresolved: number | null }[]>`
              select source_id, null::int as unresolved from freight.job_records where job_id = ${ref.jobId} and batch_id = ${batchId} and status in ('failed', 'retrying')`
          : await tx<{ source_id: string; unresolved: number | null }[]>`
              select source_id, case when status = 'retrying' then null else unresolved end as unresolved
              from freight.job_records where job_id = ${ref.jobId} and batch_id = ${batchId}
                and (status = 'retrying' or (status in ('succeeded', 'skipped') and unresolved > 0))`;
        return new Map(rows.map((r) => [r.source_id, r.unresolved]));
      });
    },

    /** Source ids of a batch whose latest outcome is settled (succeeded or skipped): what a resumed run leaves alone. */
    async settledSourceIds(ref: JobRef, batchId: string): Promise<Set<string>> {
      return scoped(ref, async (tx) => {
        const rows = await tx<{ source_id: string }[]>`
          select source_id from freight.job_records where job_id = ${ref.jobId} and batch_id = ${batchId} and status in ('succeeded', 'skipped')`;
        return new Set(rows.map((r) => r.source_id));
      });
    },

    /** Latest outcome per source id of one batch (for its archive). */
    async batchOutcomes(ref: JobRef, batchId: string): Promise<Map<string, Record<string, unknown>>> {
      return scoped(ref, async (tx) => {
        const rows = await tx<{ source_id: string; status: string; target_object: string | null; target_id: string | null; action: string | null; error_kind: string | null; error_message: string | null; note: string | null; attempts: number }[]>`
          select source_id, status, target_object, target_id, action, error_kind, error_message, note, attempts
          from freight.job_records where job_id = ${ref.jobId} and batch_id = ${batchId}`;
        return new Map(rows.map(({ source_id, ...rest }) => [source_id, rest]));
      });
    },

    /** Recomputes a batch's counters from the record log, so retries and reruns never double count. */
    async completeBatch(ref: JobRef, batchId: string, archiveKey: string | null): Promise<{ succeeded: number; failed: number; skipped: number }> {
      return scoped(ref, async (tx) => {
        const [c] = await tx<{ succeeded: number; failed: number; skipped: number }[]>`
          select count(*) filter (where status = 'succeeded')::int as succeeded,
                 count(*) filter (where status = 'failed')::int as failed,
                 count(*) filter (where status = 'skipped')::int as skipped
          from freight.job_records where job_id = ${ref.jobId} and batch_id = ${batchId}`;
        const counts = c ?? { succeeded: 0, failed: 0, skipped: 0 };
        // Only the attempt that is running completes the batch: a retried call (its first answer was
        // lost after the commit) changes nothing and appends no second event.
        const changed = await tx`
          update freight.job_batches set status = ${counts.failed > 0 ? 'completed_with_errors' : 'succeeded'},
            succeeded = ${counts.succeeded}, failed = ${counts.failed}, skipped = ${counts.skipped},
            result_key = coalesce(${archiveKey}, result_key), finished_at = now(),
            duration_ms = (extract(epoch from now() - last_started_at) * 1000)::int
          where job_id = ${ref.jobId} and id = ${batchId} and status = 'running' returning id`;
        if (changed.length > 0) await appendBatchEvent(tx, ref, batchId);
        return counts;
      });
    },

    async markBatchFailed(ref: JobRef, batchId: string, errorKind: string, errorMessage: string): Promise<void> {
      await scoped(ref, async (tx) => {
        // Idempotent like completeBatch: a batch already marked failed is not marked (or announced) twice.
        const changed = await tx`
          update freight.job_batches set status = 'failed', error_kind = ${errorKind}, error_message = ${errorMessage.slice(0, 2000)}, finished_at = now()
          where job_id = ${ref.jobId} and id = ${batchId} and status <> 'failed' returning id`;
        if (changed.length > 0) await appendBatchEvent(tx, ref, batchId);
      });
    },

    async listRetryTargets(ref: JobRef, scope: RetryScope | 'unresolved-references'): Promise<string[]> {
      return scoped(ref, async (tx) => {
        const rows = scope === 'failed-batches'
          ? await tx<{ id: string }[]>`select id from freight.job_batches where job_id = ${ref.jobId} and status = 'failed' order by id`
          : scope === 'failed-records'
            ? await tx<{ id: string }[]>`select distinct batch_id as id from freight.job_records where job_id = ${ref.jobId} and status in ('failed', 'retrying') order by 1`
            : await tx<{ id: string }[]>`select distinct batch_id as id from freight.job_records where job_id = ${ref.jobId}
                and (status = 'retrying' or (status in ('succeeded', 'skipped') and unresolved > 0)) order by 1`;
        return rows.map((r) => r.id);
      });
    },

    /**
     * Final status from the log: any failed record or batch → completed_with_errors. Idempotent: a
     * retried call (its first answer lost after the commit) finds the job settled already and
     * appends no second round of events. Answers the job's counts as the database holds them.
     */
    async finish(ref: JobRef, outcome: 'done' | 'cancelled' | 'failed', reason?: string): Promise<FinishJobResult> {
      return scoped(ref, async (tx) => {
        const [f] = await tx<{ records: number; batches: number }[]>`
          select (select count(*) from freight.job_records where job_id = ${ref.jobId} and status in ('failed', 'retrying'))::int as records,
                 (select count(*) from freight.job_batches where job_id = ${ref.jobId} and status = 'failed')::int as batches`;
        const failedRecords = f?.records ?? 0;
        const failedBatches = f?.batches ?? 0;
        const status: JobStatus = outcome === 'cancelled' ? 'cancelled' : outcome === 'failed' ? 'failed'
          : failedRecords + failedBatches > 0 ? 'completed_with_errors' : 'completed';
        if (outcome === 'cancelled') {
          await tx`update freight.job_batches set status = 'cancelled', finished_at = now()
                   where job_id = ${ref.jobId} and status in ('pending', 'running')`;
        }
        const changed = await tx`
          update freight.jobs set status = ${status}, finished_at = now(), updated_at = now(),
            error = case when ${status} = 'failed' then ${reason ?? null} else error end,
            cancel_reason = case when ${status} = 'cancelled' then coalesce(cancel_reason, ${reason ?? null}) else cancel_reason end
          where id = ${ref.jobId} and (status <> ${status} or finished_at is null) returning id`;
        await closeOpenRun(tx, ref.jobId, status);
        if (changed.length > 0) {
          await announceUndoFinished(tx, ref, status);
          // Progress first, then the status: a stream that closes on the terminal status has seen the final counts.
          await appendWithProgress(tx, ref, []);
          await appendJobEvents(tx, ref, [{ type: 'status', data: { status } }]);
        }
        const [t] = await tx<Omit<Totals, 'retriesRequested'>[]>`
          select
            (select count(*) from freight.job_batches where job_id = ${ref.jobId} and status = 'succeeded')::int as "batchesSucceeded",
            (select count(*) from freight.job_batches where job_id = ${ref.jobId} and status = 'completed_with_errors')::int as "batchesWithErrors",
            ${failedBatches}::int as "batchesFailed",
            count(*) filter (where status = 'succeeded')::int as succeeded,
            count(*) filter (where status = 'failed')::int as failed,
            count(*) filter (where status = 'skipped')::int as skipped
          from freight.job_records where job_id = ${ref.jobId}`;
        return { status, failedRecords, failedBatches, ...(t ? { totals: t } : {}) };
      });
    },
  };
}

export type JobStore = ReturnType<typeof createJobStore>;

/** Live updates: the batch's outcome as now recorded, then the job's progress (one of each per batch end). */
async function appendBatchEvent(tx: TransactionSql, ref: JobRef, batchId: string): Promise<void> {
  const [b] = await tx<{ object: string; status: string; succeeded: number; failed: number; attempts: number }[]>`
    select object, status, succeeded, failed, attempts from freight.job_batches where job_id = ${ref.jobId} and id = ${batchId}`;
  if (!b) return;
  await appendWithProgress(tx, ref, [{
    type: 'batch', data: { batchId, object: b.object, status: b.status, succeeded: b.succeeded, failed: b.failed, attempt: b.attempts },
  }]);
}
