import type { Actor } from '../auth/principal.ts';
import type { Sql, TransactionSql } from '../db/client.ts';
import { withTenant } from '../db/scope.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { RECORD_CURSOR } from '../tenancy/cursor.ts';
import { ownTenantOf, UUID_PATTERN } from '../tenancy/tenant-model.ts';
import { emptyDiffCounts, type DiffClass, type FieldChange } from '../jobs/dry-run-diff.ts';
import { streamTenantCsv } from './csv-stream.ts';

/** One record of a dry-run diff: what a real run would do to it. */
export interface DiffRecord {
  object: string;
  sourceId: string;
  class: DiffClass;
  targetObject: string | null;
  targetId: string | null;
  /** An update's fields, old → new (empty otherwise). */
  changes: FieldChange[];
  /** Why a record is a conflict or refused (or what the write would leave out). */
  reason: string | null;
  note: string | null;
}

export interface DiffFilter {
  class?: DiffClass | undefined;
  object?: string | undefined;
}

export interface DiffPage {
  dryRun: boolean;
  /** Over the whole job (filters do not apply), per class and per object and class. */
  counts: Record<DiffClass, number>;
  byObject: Record<string, Record<DiffClass, number>>;
  data: DiffRecord[];
  nextCursor: string | null;
}

export const DIFF_CSV_COLUMNS = ['object', 'source_id', 'class', 'target_object', 'target_id', 'attribute', 'old', 'new', 'reason', 'note'] as const;

interface DiffRow {
  object: string; source_id: string; diff_class: DiffClass; target_object: string | null; target_id: string | null;
  diff_changes: FieldChange[] | null; error_message: string | null; note: string | null;
}

const toRecord = (r: DiffRow): DiffRecord => ({
  object: r.object, sourceId: r.source_id, class: r.diff_class, targetObject: r.target_object, targetId: r.target_id,
  changes: r.diff_changes ?? [], reason: r.error_message, note: r.note,
});

/**
 * The dry-run diff of the caller's tenant's jobs, from the record log (job_records.diff_class): a
 * page as JSON with the counts per class, or every row as CSV (one line per changed field of an update).
 */
export function createDiffService(deps: { sql: Sql; logger: Logger }) {
  const tenantOf = (actor: Actor, jobId: string): string => {
    const tenantId = ownTenantOf(actor.principal);
    if (!UUID_PATTERN.test(jobId)) throw new NotFoundError('Job');
    return tenantId;
  };
  const jobOf = async (tx: TransactionSql, jobId: string) => {
    const [job] = await tx<{ dry_run: boolean }[]>`select dry_run from freight.jobs where id = ${jobId}`;
    if (!job) throw new NotFoundError('Job');
    return job;
  };
  const where = (tx: TransactionSql, jobId: string, filter: DiffFilter) => tx`
    job_id = ${jobId} and diff_class is not null
      and ${filter.class ? tx`diff_class = ${filter.class}` : tx`true`}
      and ${filter.object ? tx`object = ${filter.object}` : tx`true`}`;

  async function diff(actor: Actor, jobId: string, page: DiffFilter & { limit: number; cursor?: string | undefined }): Promise<DiffPage> {
    const after = page.cursor ? RECORD_CURSOR.decode(page.cursor) : undefined;
    if (page.cursor && !after) throw new ValidationError('Invalid cursor', [{ path: 'cursor', message: 'not a cursor of this list' }]);
    return withTenant(deps.sql, tenantOf(actor, jobId), async (tx) => {
      const job = await jobOf(tx, jobId);
      const totals = await tx<{ object: string; diff_class: DiffClass; n: number }[]>`
        select object, diff_class, count(*)::int as n from freight.job_records
        where job_id = ${jobId} and diff_class is not null group by object, diff_class`;
      const counts = emptyDiffCounts();
      const byObject: Record<string, Record<DiffClass, number>> = {};
      for (const t of totals) {
        counts[t.diff_class] += t.n;
        (byObject[t.object] ??= emptyDiffCounts())[t.diff_class] += t.n;
      }
      const rows = await tx<DiffRow[]>`
        select object, source_id, diff_class, target_object, target_id, diff_changes, error_message, note from freight.job_records
        where ${where(tx, jobId, page)}
          and ${after ? tx`(object, source_id) > (${after[0] ?? ''}, ${after[1] ?? ''})` : tx`true`}
        order by object, source_id limit ${page.limit + 1}`;
      const data = rows.slice(0, page.limit).map(toRecord);
      const last = data.at(-1);
      return { dryRun: job.dry_run, counts, byObject, data, nextCursor: rows.length > page.limit && last ? RECORD_CURSOR.encode([last.object, last.sourceId]) : null };
    });
  }

  /** Streamed from a database cursor; one line per changed field of an update (old/new as JSON). 404 before the first byte. */
  async function diffCsv(actor: Actor, jobId: string, filter: DiffFilter): Promise<ReadableStream<Uint8Array>> {
    const tenantId = tenantOf(actor, jobId);
    await withTenant(deps.sql, tenantId, (tx) => jobOf(tx, jobId));
    return streamTenantCsv<Record<string, unknown>>({
      sql: deps.sql, tenantId, columns: DIFF_CSV_COLUMNS, logger: deps.logger,
      // Changes are unnested in SQL so the stream stays one row in, one line out.
      query: (tx) => tx`
        select r.object, r.source_id, r.diff_class as class, r.target_object, r.target_id,
          c.value->>'attribute' as attribute, (c.value->'old')::text as old, (c.value->'new')::text as new, r.error_message as reason, r.note
        from freight.job_records r
        left join lateral jsonb_array_elements(coalesce(r.diff_changes, '[]'::jsonb)) c on true
        where ${where(tx, jobId, filter)}
        order by r.object, r.source_id, c.value->>'attribute'`,
    });
  }

  return { diff, diffCsv };
}
