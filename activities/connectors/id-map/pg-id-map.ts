import { abortable } from '../../../shared/db/abortable.ts';
import type { Sql, TransactionSql } from '../../../shared/db/client.ts';
import { withTenant } from '../../../shared/db/scope.ts';
import { sourceKeyString, type IdMapEntry, type IdMapStore, type SourceKey, type TargetRef } from './id-map.ts';

export interface PgIdMapOptions {
  sql: Sql;
  tenantId: string;
  /** Separates migrations of different connection pairs of one tenant (e.g. `affinity:<org>→attio:<ws>`). */
  scope: string;
  /**
   * Concurrent calls are sent as one bulk statement (default true). A batch writes records
   * concurrently and every write reads and writes the id map: without this each record costs
   * several transactions; with it a wave of concurrent writes costs one each.
   */
  coalesce?: boolean;
  /**
   * The caller's cancellation, read at each call: aborting it ends that caller's wait. A bulk
   * statement it shares with other callers (coalesced) runs on for them.
   */
  signal?: () => AbortSignal | undefined;
}

interface Row {
  source_kind: string;
  source_id: string;
  target_object: string;
  target_id: string;
}

/** Bulk statements of one kind (get or put) in flight at a time, per id map. */
const MAX_IN_FLIGHT = 2;

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Waiter<T> {
  resolve: (value: Map<string, TargetRef>) => void;
  reject: (error: unknown) => void;
  input: T;
}

/**
 * Postgres id map on `freight.id_map`. Every call is one transaction that first sets
 * `app.tenant_id` (RLS is forced on the table) and does one round trip: a bulk select by
 * unnest'ed key arrays, or insert … on conflict do nothing followed by a re-read, so concurrent
 * writers of the same key converge on the first one's target.
 *
 * Concurrent calls are coalesced: gets and puts that arrive together share one transaction each,
 * and every caller gets the answer for its own keys, exactly as if it had run alone (a put resolves
 * only after the bulk insert committed). Within one coalesced put, the first entry for a key is the
 * one inserted; later ones see it as the winner, as a concurrent writer would.
 */
export function createPgIdMap(options: PgIdMapOptions): IdMapStore {
  const { sql, tenantId, scope } = options;
  const coalesce = options.coalesce ?? true;

  const toMap = (rows: readonly Row[]): Map<string, TargetRef> =>
    new Map(rows.map((r) => [sourceKeyString({ kind: r.source_kind, id: r.source_id }), { object: r.target_object, id: r.target_id }]));

  // One primary-key probe per key, whatever the statistics say: as a plain join the planner, with
  // statistics taken before a new scope's first rows, estimated one row for (tenant, scope) and
  // scanned the whole scope once per call (145,000 rows, 300 ms, for a job that had just started on
  // a table holding an earlier 1M-record job). A LATERAL subquery with LIMIT (the key is the primary
  // key: at most one row anyway) cannot be flattened, so the keys stay the outer side.
  const select = (tx: TransactionSql, keys: readonly SourceKey[]) => tx<Row[]>`
    select m.source_kind, m.source_id, m.target_object, m.target_id
    from unnest(${sql.array(keys.map((k) => k.kind))}::text[], ${sql.array(keys.map((k) => k.id))}::text[]) as k(kind, id)
    cross join lateral (
      select source_kind, source_id, target_object, target_id from freight.id_map
      where tenant_id = ${tenantId} and scope = ${scope} and source_kind = k.kind and source_id = k.id
      limit 1
    ) m`;

  const signalOf = options.signal ?? (() => undefined);

  const getNow = async (keys: readonly SourceKey[], signal?: AbortSignal): Promise<Map<string, TargetRef>> => {
    if (keys.length === 0) return new Map();
    const rows = await withTenant(sql, tenantId, (tx) => select(tx, keys), { signal });
    return toMap(rows);
  };

  const putNow = async (unsorted: ReadonlyArray<IdMapEntry & { jobId: string | null }>, signal?: AbortSignal): Promise<Map<string, TargetRef>> => {
    if (unsorted.length === 0) return new Map();
    // Rows are inserted in key order: two bulk inserts with overlapping keys (two batches, two
    // worker processes) then take their row locks in the same order and cannot deadlock.
    const first = new Map<string, IdMapEntry & { jobId: string | null }>();
    for (const e of unsorted) if (!first.has(sourceKeyString(e.source))) first.set(sourceKeyString(e.source), e);
    const entries = [...first.values()].sort((a, b) => compare(a.source.kind, b.source.kind) || compare(a.source.id, b.source.id));
    const rows = await withTenant(sql, tenantId, async (tx) => {
      // Sent back to back: the re-read runs once the insert is done (same connection, in order),
      // in a new snapshot that sees a concurrent writer's committed row.
      const inserted = tx`
        insert into freight.id_map (tenant_id, scope, source_kind, source_id, target_object, target_id, job_id)
        select ${tenantId}::uuid, ${scope}, k.kind, k.id, k.tobj, k.tid, k.job
        from unnest(
          ${sql.array(entries.map((e) => e.source.kind))}::text[], ${sql.array(entries.map((e) => e.source.id))}::text[],
          ${sql.array(entries.map((e) => e.target.object))}::text[], ${sql.array(entries.map((e) => e.target.id))}::text[],
          ${sql.array(entries.map((e) => e.jobId))}::uuid[]
        ) with ordinality as k(kind, id, tobj, tid, job, n)
        order by k.n
        on conflict (tenant_id, scope, source_kind, source_id) do nothing`.execute();
      const [, held] = await Promise.all([inserted, select(tx, entries.map((e) => e.source))]);
      return held;
    }, { signal });
    return toMap(rows);
  };

  /**
   * Queues calls and runs them as one bulk call (first entry per key wins). At most
   * `MAX_IN_FLIGHT` bulk calls run at a time; calls arriving meanwhile wait for the next one, so
   * the slower the database answers, the more each transaction carries (application-level group
   * commit) instead of piling up transactions.
   */
  function batcher<T>(run: (all: T[]) => Promise<Map<string, TargetRef>>, keyOf: (input: T) => string) {
    let queue: Waiter<T[]>[] = [];
    let inFlight = 0;
    const pump = (): void => {
      if (queue.length === 0 || inFlight >= MAX_IN_FLIGHT) return;
      const waiters = queue;
      queue = [];
      const seen = new Set<string>();
      const all: T[] = [];
      for (const w of waiters) {
        for (const item of w.input) {
          const key = keyOf(item);
          if (seen.has(key)) continue;
          seen.add(key);
          all.push(item);
        }
      }
      inFlight += 1;
      run(all).then(
        (found) => {
          for (const w of waiters) {
            const own = new Map<string, TargetRef>();
            for (const item of w.input) {
              const key = keyOf(item);
              const hit = found.get(key);
              if (hit) own.set(key, hit);
            }
            w.resolve(own);
          }
        },
        (error: unknown) => {
          for (const w of waiters) w.reject(error);
        },
      ).finally(() => {
        inFlight -= 1;
        pump();
      });
    };
    return (input: T[]): Promise<Map<string, TargetRef>> => new Promise((resolve, reject) => {
      queue.push({ input, resolve, reject });
      // Everything asked in this turn of the event loop goes out together.
      if (queue.length === 1) setImmediate(pump);
    });
  }

  const coalescedGet = batcher<SourceKey>((keys) => getNow(keys), (k) => sourceKeyString(k));
  const coalescedPut = batcher<IdMapEntry & { jobId: string | null }>((entries) => putNow(entries), (e) => sourceKeyString(e.source));

  return {
    get(keys) {
      if (keys.length === 0) return Promise.resolve(new Map());
      const signal = signalOf();
      return coalesce ? abortable(coalescedGet([...keys]), signal) : getNow(keys, signal);
    },
    put(entries: readonly IdMapEntry[], putOptions = {}) {
      if (entries.length === 0) return Promise.resolve(new Map());
      const withJob = entries.map((e) => ({ source: e.source, target: e.target, jobId: putOptions.jobId ?? null }));
      const signal = signalOf();
      return coalesce ? abortable(coalescedPut(withJob), signal) : putNow(withJob, signal);
    },
    // Rare (a replaced note): one statement of its own, never coalesced.
    async replace(source, expected, target, replaceOptions = {}) {
      const rows = await withTenant(sql, tenantId, async (tx) => {
        await tx`
          update freight.id_map set target_object = ${target.object}, target_id = ${target.id}, job_id = coalesce(${replaceOptions.jobId ?? null}::uuid, job_id)
          where tenant_id = ${tenantId} and scope = ${scope} and source_kind = ${source.kind} and source_id = ${source.id}
            and target_object = ${expected.object} and target_id = ${expected.id}`;
        return select(tx, [source]);
      }, { signal: signalOf() });
      return toMap(rows).get(sourceKeyString(source));
    },
  };
}
