import type { Actor } from '../auth/principal.ts';
import type { Sql, TransactionSql } from '../db/client.ts';
import { withTenant } from '../db/scope.ts';
import { AppError, NotFoundError } from '../errors.ts';
import { ownTenantOf, UUID_PATTERN } from '../tenancy/tenant-model.ts';
import { DELTA_ACTIONS, type OnConflict } from './delta-options.ts';
import type { JobRow } from './job-model.ts';

/** Items listed in the summary; the counts cover all of them. */
const LISTED = 1000;

export interface DeltaConflict {
  object: string;
  sourceId: string;
  targetObject: string | null;
  targetId: string | null;
  /** The target's current view of the fields Freight writes (null: deleted in the target). */
  targetValues: unknown;
  /** What the source would write. */
  sourceValues: unknown;
  resolution: 'kept_target' | 'took_source';
}

export interface DeltaSummary {
  jobId: string;
  /** `full` jobs have no summary of their own; they are what the first delta follows. */
  follows: string;
  onConflict: OnConflict;
  status: string;
  /** When this delta finished (null while it runs): the time of the last delta for the cutover. */
  finishedAt: string | null;
  counts: { new: number; changed: number; unchanged: number; deletedAtSource: number; conflicts: number; failed: number; skipped: number };
  /** What still stands between the source and the target after this delta. */
  pending: { conflictsKept: number; notUpdatable: number; failed: number; retrying: number; unresolvedReferences: number; deletedAtSource: number; running: boolean };
  conflicts: DeltaConflict[];
  /**
   * Objects this delta read through a source-side change filter (only records changed since `since`):
   * their deletions at the source are not checked (a record absent from a filtered read may be unchanged).
   */
  filteredReads: { object: string; since: string }[];
  deletedAtSource: { object: string; sourceId: string; targetObject: string | null; targetId: string | null }[];
}

/** The id map's scope of a job (activities/jobs/job-connectors.ts names it the same way). */
const scopeOf = (job: Pick<JobRow, 'source_connection_id' | 'target_connection_id'>) => `${job.source_connection_id}:${job.target_connection_id}`;

/** The job objects read with a change filter (migration 0195): absent records there are not deletions. */
function filteredReads(job: JobRow): { object: string; since: string }[] {
  return Object.entries(job.source_reads ?? {}).flatMap(([object, read]) => (read.since ? [{ object, since: read.since }] : []));
}

/**
 * Records deleted at the source, once a delta has read the whole source: the id map holds them for
 * the job's objects (written by an earlier job, hashes kept, before this job finished) and this job
 * did not read them. Objects read with a change filter are left out: not reading a record there
 * only says it did not change. Listed, never deleted in the target. Computed when asked (the worker's report,
 * the API), so it is there the moment the job is completed.
 */
async function deletedAtSource(tx: TransactionSql, job: JobRow, limit: number | null) {
  if (!['completed', 'completed_with_errors'].includes(job.status)) return [];
  return tx<{ object: string; source_id: string; target_object: string | null; target_id: string | null }[]>`
    select m.source_object as object, m.source_id, m.target_object, m.target_id
    from freight.id_map m
    where m.scope = ${scopeOf(job)} and m.source_object = any(${job.objects}::text[]) and m.source_hash is not null
      and m.source_object <> all(${filteredReads(job).map((f) => f.object)}::text[])
      and m.created_at <= ${job.finished_at ?? new Date()}
      and not exists (select 1 from freight.job_records r where r.job_id = ${job.id} and r.object = m.source_object and r.source_id = m.source_id)
    order by m.source_object, m.source_id ${limit === null ? tx`` : tx`limit ${limit}`}`;
}

/** Keeps the job's deleted-at-source list with its delta items (the record of what the cutover saw). Idempotent. */
export async function recordDeletedAtSource(tx: TransactionSql, job: JobRow): Promise<number> {
  if (!job.options.delta) return 0;
  const rows = await deletedAtSource(tx, job, null);
  if (rows.length === 0) return 0;
  const items = rows.map((r) => ({ tenant_id: job.tenant_id, job_id: job.id, class: 'deleted', object: r.object, source_id: r.source_id, target_object: r.target_object, target_id: r.target_id }));
  await tx`insert into freight.delta_items ${tx(items, 'tenant_id', 'job_id', 'class', 'object', 'source_id', 'target_object', 'target_id')} on conflict do nothing`;
  return rows.length;
}

/** The cutover view of a delta job: counts per class, conflicts, deleted-at-source, what is pending. Null for a full job. */
export async function readDeltaSummary(tx: TransactionSql, job: JobRow): Promise<DeltaSummary | null> {
  const delta = job.options.delta;
  if (!delta) return null;
  const [c] = await tx<Record<string, string>[]>`
    select
      count(*) filter (where status = 'succeeded' and action = 'created') as new,
      count(*) filter (where status = 'succeeded' and action in ('updated', ${DELTA_ACTIONS.conflictTaken})) as changed,
      count(*) filter (where status = 'succeeded' and action = 'unchanged') as unchanged,
      count(*) filter (where status = 'succeeded' and action = ${DELTA_ACTIONS.conflictKept}) as kept,
      count(*) filter (where status = 'succeeded' and action = ${DELTA_ACTIONS.notUpdated}) as not_updated,
      count(*) filter (where status = 'failed') as failed,
      count(*) filter (where status = 'retrying') as retrying,
      count(*) filter (where status = 'skipped') as skipped,
      coalesce(sum(unresolved) filter (where status = 'succeeded'), 0) as unresolved
    from freight.job_records where job_id = ${job.id}`;
  const items = await tx<{ class: string; object: string; source_id: string; target_object: string | null; target_id: string | null; target_values: unknown; source_values: unknown; resolution: string | null }[]>`
    select class, object, source_id, target_object, target_id, target_values, source_values, resolution
    from freight.delta_items where job_id = ${job.id} and class = 'conflict' order by object, source_id limit ${LISTED}`;
  const [n] = await tx<{ conflicts: string }[]>`select count(*) as conflicts from freight.delta_items where job_id = ${job.id} and class = 'conflict'`;
  const gone = await deletedAtSource(tx, job, null);
  const num = (v: string | undefined) => Number(v ?? 0);
  const deleted = gone.length;
  const running = !['completed', 'completed_with_errors', 'failed', 'cancelled'].includes(job.status);
  return {
    jobId: job.id, follows: delta.follows, onConflict: delta.onConflict, status: job.status, finishedAt: job.finished_at?.toISOString() ?? null,
    counts: {
      new: num(c?.new), changed: num(c?.changed), unchanged: num(c?.unchanged), deletedAtSource: deleted, conflicts: num(n?.conflicts),
      failed: num(c?.failed), skipped: num(c?.skipped),
    },
    pending: { conflictsKept: num(c?.kept), notUpdatable: num(c?.not_updated), failed: num(c?.failed), retrying: num(c?.retrying), unresolvedReferences: num(c?.unresolved), deletedAtSource: deleted, running },
    conflicts: items.map((i) => ({
      object: i.object, sourceId: i.source_id, targetObject: i.target_object, targetId: i.target_id, targetValues: i.target_values,
      sourceValues: i.source_values, resolution: i.resolution === 'took_source' ? 'took_source' : 'kept_target',
    })),
    filteredReads: filteredReads(job),
    deletedAtSource: gone.slice(0, LISTED).map((i) => ({ object: i.object, sourceId: i.source_id, targetObject: i.target_object, targetId: i.target_id })),
  };
}

/** `GET /v1/jobs/{jobId}/delta`: the caller's tenant only (RLS), 404 for another's or a full job. */
export function createDeltaReads(deps: { sql: Sql }) {
  return {
    async deltaSummary(actor: Actor, jobId: string): Promise<DeltaSummary> {
      const tenantId = ownTenantOf(actor.principal);
      if (!UUID_PATTERN.test(jobId)) throw new NotFoundError('Job');
      return withTenant(deps.sql, tenantId, async (tx) => {
        const [job] = await tx<JobRow[]>`select * from freight.jobs where id = ${jobId}`;
        if (!job) throw new NotFoundError('Job');
        const summary = await readDeltaSummary(tx, job);
        if (!summary) throw new AppError('not_a_delta', 409, `Job ${jobId} is a full job; its delta passes (mode: delta, follows: ${jobId}) have the summary`);
        return summary;
      });
    },
  };
}
