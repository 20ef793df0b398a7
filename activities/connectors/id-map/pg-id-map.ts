import type { Sql, TransactionSql } from '../../../shared/db/client.ts';
import { withTenant } from '../../../shared/db/scope.ts';
import { sourceKeyString, type IdMapEntry, type IdMapStore, type SourceKey, type TargetRef } from './id-map.ts';

export interface PgIdMapOptions {
  sql: Sql;
  tenantId: string;
  /** Separates migrations of different connection pairs of one tenant (e.g. `affinity:<org>→attio:<ws>`). */
  scope: string;
}

interface Row {
  source_kind: string;
  source_id: string;
  target_object: string;
  target_id: string;
}

/**
 * Postgres id map on `freight.id_map`. Every call is one transaction that first sets
 * `app.tenant_id` (RLS is forced on the table) and does one round trip: a bulk select by
 * unnest'ed key arrays, or insert … on conflict do nothing followed by a re-read, so concurrent
 * writers of the same key converge on the first one's target.
 */
export function createPgIdMap(options: PgIdMapOptions): IdMapStore {
  const { sql, tenantId, scope } = options;

  const toMap = (rows: readonly Row[]): Map<string, TargetRef> =>
    new Map(rows.map((r) => [sourceKeyString({ kind: r.source_kind, id: r.source_id }), { object: r.target_object, id: r.target_id }]));

  const select = (tx: TransactionSql, keys: readonly SourceKey[]) => tx<Row[]>`
    select m.source_kind, m.source_id, m.target_object, m.target_id
    from freight.id_map m
    join unnest(${sql.array(keys.map((k) => k.kind))}::text[], ${sql.array(keys.map((k) => k.id))}::text[]) as k(kind, id)
      on m.source_kind = k.kind and m.source_id = k.id
    where m.tenant_id = ${tenantId} and m.scope = ${scope}`;

  return {
    async get(keys) {
      if (keys.length === 0) return new Map();
      const rows = await withTenant(sql, tenantId, (tx) => select(tx, keys));
      return toMap(rows);
    },
    async put(entries: readonly IdMapEntry[], putOptions = {}) {
      if (entries.length === 0) return new Map();
      const rows = await withTenant(sql, tenantId, async (tx) => {
        await tx`
          insert into freight.id_map (tenant_id, scope, source_kind, source_id, target_object, target_id, job_id)
          select ${tenantId}::uuid, ${scope}, k.kind, k.id, k.tobj, k.tid, ${putOptions.jobId ?? null}::uuid
          from unnest(
            ${sql.array(entries.map((e) => e.source.kind))}::text[], ${sql.array(entries.map((e) => e.source.id))}::text[],
            ${sql.array(entries.map((e) => e.target.object))}::text[], ${sql.array(entries.map((e) => e.target.id))}::text[]
          ) as k(kind, id, tobj, tid)
          on conflict (tenant_id, scope, source_kind, source_id) do nothing`;
        return select(tx, entries.map((e) => e.source));
      });
      return toMap(rows);
    },
  };
}
