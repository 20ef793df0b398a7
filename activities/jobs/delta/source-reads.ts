import type { Sql } from '../../../shared/db/client.ts';
import { withTenant } from '../../../shared/db/scope.ts';
import type { SourceRead } from '../../../shared/jobs/job-model.ts';
import { activitySignal } from '../activity-signal.ts';
import type { JobRef } from '../contract.ts';

/**
 * How far before the followed job's read began a delta's change filter starts. Two reasons:
 * the clocks differ (Freight's PostgreSQL stamps `startedAt`, the source stamps `updatedAt`), and a
 * record updated while the followed job was reading may carry an `updatedAt` from just before the
 * read began yet not have been visible to it (a source write stamped at its start, committed later).
 * Reading a few minutes' changes twice costs little: unchanged content hashes are not written again.
 */
export const CHANGE_FILTER_MARGIN_MS = 15 * 60_000;

export interface BeginReadInput {
  object: string;
  /** The job a delta follows (null: a full job, which reads everything). */
  follows: string | null;
  /** The pair can ask the source for this object's changes only. */
  filterable: boolean;
}

/**
 * `freight.jobs.source_reads` (migration 0195): when a job began reading each object, and for a
 * delta the instant its change filter starts from. Written once per job object (a retried or resumed
 * first page finds the first value again: the filter never moves between attempts).
 */
export function createSourceReads(sql: Sql, signal: () => AbortSignal | undefined = activitySignal) {
  return {
    /**
     * Records the start of a job's read of `object` and returns it. `since` is set only when the
     * followed job completed (no failed record it should have written: those must be read again),
     * was not a dry run (it wrote nothing), and recorded when it began reading the same object.
     */
    async begin(ref: JobRef, input: BeginReadInput): Promise<SourceRead> {
      return withTenant(sql, ref.tenantId, async (tx) => {
        const [made] = await tx<{ read: SourceRead }[]>`
          with followed as (
            select (f.source_reads -> ${input.object}::text ->> 'startedAt')::timestamptz - make_interval(secs => ${CHANGE_FILTER_MARGIN_MS / 1000}) as since
            from freight.jobs f
            where ${input.filterable} and f.id = ${input.follows}::uuid and f.status = 'completed' and not f.dry_run
          )
          update freight.jobs j set source_reads = j.source_reads || jsonb_build_object(${input.object}::text, jsonb_build_object(
            'startedAt', to_jsonb(now()), 'since', to_jsonb((select since from followed))))
          where j.id = ${ref.jobId} and not (j.source_reads ? ${input.object}::text)
          returning j.source_reads -> ${input.object}::text as read`;
        if (made) return made.read;
        const [kept] = await tx<{ read: SourceRead }[]>`select source_reads -> ${input.object}::text as read from freight.jobs where id = ${ref.jobId}`;
        if (!kept?.read) throw new Error(`job ${ref.jobId} not found`);
        return kept.read;
      }, { signal: signal() });
    },
  };
}

export type SourceReadStore = ReturnType<typeof createSourceReads>;
