import type { Actor } from '../auth/principal.ts';
import type { Sql, TransactionSql } from '../db/client.ts';
import { withTenant } from '../db/scope.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { BATCH_CURSOR, RECORD_CURSOR } from '../tenancy/cursor.ts';
import { ownTenantOf, UUID_PATTERN } from '../tenancy/tenant-model.ts';
import type { BatchStatus, RecordStatus } from './job-progress.ts';

export interface JobBatch {
  id: string;
  object: string;
  seq: number;
  status: BatchStatus;
  recordCount: number;
  succeeded: number;
  failed: number;
  skipped: number;
  /** Real attempts: the first run and its retries (1 for a batch that ran once). */
  attempts: number;
  /** References-pass loads of the batch (part of a clean job, not retries). */
  referenceRewrites: number;
  errorKind: string | null;
  errorMessage: string | null;
  createdAt: string;
  firstStartedAt: string | null;
  lastStartedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

export interface JobRecord {
  object: string;
  sourceId: string;
  batchId: string;
  status: RecordStatus;
  targetObject: string | null;
  targetId: string | null;
  action: string | null;
  errorKind: string | null;
  errorMessage: string | null;
  note: string | null;
  /** Succeeded in a documented degraded form: why (null = migrated faithfully, or not succeeded). */
  degraded: string | null;
  /** Real attempts: the first write and its retries. */
  attempts: number;
  /** Rewrites by the references pass (part of a clean job, not retries). */
  referenceRewrites: number;
  firstAttemptAt: string;
  lastAttemptAt: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

interface BatchRow {
  id: string; object: string; seq: number; status: BatchStatus; record_count: number; succeeded: number; failed: number;
  skipped: number; attempts: number; reference_rewrites: number; error_kind: string | null; error_message: string | null; created_at: Date;
  first_started_at: Date | null; last_started_at: Date | null; finished_at: Date | null; duration_ms: number | null;
}

interface RecordRow {
  object: string; source_id: string; batch_id: string; status: RecordStatus; target_object: string | null; target_id: string | null;
  action: string | null; error_kind: string | null; error_message: string | null; note: string | null; degraded: string | null; attempts: number;
  reference_rewrites: number; first_attempt_at: Date; last_attempt_at: Date;
}

const BATCH_COLUMNS = ['id', 'object', 'seq', 'status', 'record_count', 'succeeded', 'failed', 'skipped', 'attempts', 'reference_rewrites', 'error_kind',
  'error_message', 'created_at', 'first_started_at', 'last_started_at', 'finished_at', 'duration_ms'];

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

function toBatch(r: BatchRow): JobBatch {
  return {
    id: r.id, object: r.object, seq: r.seq, status: r.status, recordCount: r.record_count, succeeded: r.succeeded, failed: r.failed,
    skipped: r.skipped, attempts: r.attempts, referenceRewrites: r.reference_rewrites, errorKind: r.error_kind, errorMessage: r.error_message, createdAt: r.created_at.toISOString(),
    firstStartedAt: iso(r.first_started_at), lastStartedAt: iso(r.last_started_at), finishedAt: iso(r.finished_at), durationMs: r.duration_ms,
  };
}

function toRecord(r: RecordRow): JobRecord {
  return {
    object: r.object, sourceId: r.source_id, batchId: r.batch_id, status: r.status, targetObject: r.target_object, targetId: r.target_id,
    action: r.action, errorKind: r.error_kind, errorMessage: r.error_message, note: r.note, degraded: r.degraded, attempts: r.attempts,
    referenceRewrites: r.reference_rewrites, firstAttemptAt: r.first_attempt_at.toISOString(), lastAttemptAt: r.last_attempt_at.toISOString(),
  };
}

function badCursor(): ValidationError {
  return new ValidationError('Invalid cursor', [{ path: ['cursor'], message: 'not a cursor from a previous page' }]);
}

/** The batches and the per-record log of a job, in keyset pages. */
export function createJobLog(deps: { sql: Sql }) {
  /** Runs `fn` in the caller's tenant once the job is known to be there (404 otherwise). */
  async function inJob<T>(actor: Actor, jobId: string, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
    const tenantId = ownTenantOf(actor.principal);
    if (!UUID_PATTERN.test(jobId)) throw new NotFoundError('Job');
    return withTenant(deps.sql, tenantId, async (tx) => {
      const [job] = await tx`select 1 from freight.jobs where id = ${jobId}`;
      if (!job) throw new NotFoundError('Job');
      return fn(tx);
    });
  }

  /** In the order they were extracted. */
  async function listBatches(actor: Actor, jobId: string, page: { status?: BatchStatus | undefined; limit: number; cursor?: string | undefined }): Promise<Page<JobBatch>> {
    const after = page.cursor ? BATCH_CURSOR.decode(page.cursor) : undefined;
    if (page.cursor && !after) throw badCursor();
    const rows = await inJob(actor, jobId, (tx) => tx<BatchRow[]>`
      select ${tx(BATCH_COLUMNS)} from freight.job_batches
      where job_id = ${jobId}
        and ${page.status ? tx`status = ${page.status}` : tx`true`}
        and ${after ? tx`(date_trunc('milliseconds', created_at), id) > (${after[0] ?? ''}::timestamptz, ${after[1] ?? ''})` : tx`true`}
      order by date_trunc('milliseconds', created_at), id limit ${page.limit + 1}`);
    const data = rows.slice(0, page.limit).map(toBatch);
    const last = data.at(-1);
    return { data, nextCursor: rows.length > page.limit && last ? BATCH_CURSOR.encode([last.createdAt, last.id]) : null };
  }

  /** The record log ordered by (object, source id); `status=failed` is the dead-letter view. */
  async function listRecords(actor: Actor, jobId: string, page: {
    status?: RecordStatus | undefined; object?: string | undefined; degraded?: boolean | undefined; limit: number; cursor?: string | undefined;
  }): Promise<Page<JobRecord>> {
    const after = page.cursor ? RECORD_CURSOR.decode(page.cursor) : undefined;
    if (page.cursor && !after) throw badCursor();
    const rows = await inJob(actor, jobId, (tx) => tx<RecordRow[]>`
      select object, source_id, batch_id, status, target_object, target_id, action, error_kind, error_message, note, degraded, attempts,
        reference_rewrites, first_attempt_at, last_attempt_at
      from freight.job_records
      where job_id = ${jobId}
        and ${page.status ? tx`status = ${page.status}` : tx`true`}
        and ${page.object ? tx`object = ${page.object}` : tx`true`}
        and ${page.degraded === undefined ? tx`true` : page.degraded ? tx`degraded is not null` : tx`degraded is null`}
        and ${after ? tx`(object, source_id) > (${after[0] ?? ''}, ${after[1] ?? ''})` : tx`true`}
      order by object, source_id limit ${page.limit + 1}`);
    const data = rows.slice(0, page.limit).map(toRecord);
    const last = data.at(-1);
    return { data, nextCursor: rows.length > page.limit && last ? RECORD_CURSOR.encode([last.object, last.sourceId]) : null };
  }

  return { listBatches, listRecords };
}
