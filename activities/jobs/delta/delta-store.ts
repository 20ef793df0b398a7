import type postgres from 'postgres';
import type { Sql } from '../../../shared/db/client.ts';
import { withTenant } from '../../../shared/db/scope.ts';
import { sourceKeyString, type SourceKey } from '../../connectors/id-map/id-map.ts';
import { activitySignal } from '../activity-signal.ts';
import type { JobRef } from '../contract.ts';

/** What the id map holds of one source record for delta passes (migration 0170). */
export interface DeltaState {
  targetObject: string;
  targetId: string;
  sourceHash: string | null;
  /** Per field Freight wrote: the hash of the target's view of it right after the write. */
  imageHashes: Record<string, string> | null;
  /**
   * Freight created the target record: the before-image of the first write of it by a job of these
   * connections was empty (job_write_images.created). false: the workspace held it before (a record
   * the first job's assert matched); null: unknown (no image kept of that write).
   */
  createdByFreight: boolean | null;
}

/** Whose writes' images say whether Freight created a record: the job's object kind and connections. */
export interface FirstWriteOf {
  object: string;
  sourceConnectionId: string;
  targetConnectionId: string;
}

export interface HashUpdate {
  key: SourceKey;
  /** The job object the record belongs to (deleted-at-source detection reads it). */
  object: string;
  sourceHash: string;
  /** null: the write gave no after-image (it cannot be compared later). */
  imageHashes: Record<string, string> | null;
}

export interface ConflictItem {
  object: string;
  sourceId: string;
  targetObject: string;
  targetId: string;
  targetValues: unknown;
  sourceValues: unknown;
  resolution: 'kept_target' | 'took_source';
}

interface Row {
  source_kind: string;
  source_id: string;
  target_object: string;
  target_id: string;
  source_hash: string | null;
  image_hashes: Record<string, string> | null;
  created: boolean | null;
}

const json = (value: unknown) => value as postgres.JSONValue;

/**
 * The delta columns of `freight.id_map` (one scope: a connection pair) and the job's delta items.
 * Every statement is one bulk round trip per chunk of records, under the tenant's RLS scope.
 */
export function createDeltaStore(sql: Sql, signal: () => AbortSignal | undefined = activitySignal) {
  const scoped = <T>(ref: JobRef, fn: Parameters<typeof withTenant<T>>[2]) => withTenant(sql, ref.tenantId, fn, { signal: signal() });

  return {
    async read(ref: JobRef, scope: string, keys: readonly SourceKey[], first: FirstWriteOf): Promise<Map<string, DeltaState>> {
      if (keys.length === 0) return new Map();
      // The first job of these connections (in creation order) that kept an image of the record: one
      // primary-key probe per job tried, and the first full job answers for nearly every record.
      const rows = await scoped(ref, (tx) => tx<Row[]>`
        select m.source_kind, m.source_id, m.target_object, m.target_id, m.source_hash, m.image_hashes, f.created
        from unnest(${sql.array(keys.map((k) => k.kind))}::text[], ${sql.array(keys.map((k) => k.id))}::text[]) as k(kind, id)
        join freight.id_map m on m.tenant_id = ${ref.tenantId} and m.scope = ${scope} and m.source_kind = k.kind and m.source_id = k.id
        left join lateral (
          select i.created from freight.jobs j
          join freight.job_write_images i on i.tenant_id = j.tenant_id and i.job_id = j.id and i.object = ${first.object} and i.source_id = m.source_id
          where j.tenant_id = ${ref.tenantId} and j.source_connection_id = ${first.sourceConnectionId} and j.target_connection_id = ${first.targetConnectionId}
          order by j.created_at limit 1
        ) f on true`);
      return new Map(rows.map((r) => [sourceKeyString({ kind: r.source_kind, id: r.source_id }), {
        targetObject: r.target_object, targetId: r.target_id, sourceHash: r.source_hash, imageHashes: r.image_hashes, createdByFreight: r.created,
      }]));
    },

    /** Written when records succeed (their id-map rows exist by then: the pair wrote them). */
    async remember(ref: JobRef, scope: string, updates: readonly HashUpdate[]): Promise<void> {
      if (updates.length === 0) return;
      await scoped(ref, (tx) => tx`
        update freight.id_map m set source_object = k.obj, source_hash = k.sh, image_hashes = k.ih::jsonb, hashed_at = now()
        from unnest(
          ${sql.array(updates.map((u) => u.key.kind))}::text[], ${sql.array(updates.map((u) => u.key.id))}::text[],
          ${sql.array(updates.map((u) => u.object))}::text[], ${sql.array(updates.map((u) => u.sourceHash))}::text[],
          ${sql.array(updates.map((u) => (u.imageHashes ? JSON.stringify(u.imageHashes) : null)))}::text[]
        ) as k(kind, id, obj, sh, ih)
        where m.tenant_id = ${ref.tenantId} and m.scope = ${scope} and m.source_kind = k.kind and m.source_id = k.id`);
    },

    async conflicts(ref: JobRef, items: readonly ConflictItem[]): Promise<void> {
      if (items.length === 0) return;
      await scoped(ref, (tx) => {
        const rows = items.map((i) => ({
          tenant_id: ref.tenantId, job_id: ref.jobId, class: 'conflict', object: i.object, source_id: i.sourceId, target_object: i.targetObject,
          target_id: i.targetId, target_values: tx.json(json(i.targetValues ?? null)), source_values: tx.json(json(i.sourceValues ?? null)), resolution: i.resolution,
        }));
        return tx`
        insert into freight.delta_items ${tx(rows, 'tenant_id', 'job_id', 'class', 'object', 'source_id', 'target_object', 'target_id', 'target_values', 'source_values', 'resolution')}
        on conflict (tenant_id, job_id, class, object, source_id) do update set
          target_values = excluded.target_values, source_values = excluded.source_values, resolution = excluded.resolution, created_at = now()`;
      });
    },
  };
}

export type DeltaStore = ReturnType<typeof createDeltaStore>;
