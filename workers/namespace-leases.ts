import type { Sql, TransactionSql } from '../shared/db/client.ts';
import { withAdminScope } from '../shared/db/scope.ts';

/** A namespace this process may want a lease on, in the order it wants them. */
export interface LeaseCandidate {
  namespace: string;
  /** Lower goes first: 0 asked for right now (NOTIFY), 1 jobs to run, 2 only a retry window open. */
  tier: number;
}

export interface Acquired {
  namespace: string;
  /** The worker whose lease had expired (a process that died or lost its database), if any. */
  previous: string | null;
}

export interface LeaseRound {
  /** Of the leases this process held, those still its own (renewed). */
  kept: string[];
  acquired: Acquired[];
  /** Demanded namespaces no process holds a live lease on after this round. */
  unserved: string[];
}

export interface NamespaceLeases {
  /**
   * One round in one transaction: renews `held`, takes free leases from `candidates` until the
   * process holds `cap`, and says which demanded namespaces are left without any process. Free
   * leases go by tier, then to the namespace served least recently (never served first), then in the
   * candidates' order.
   */
  round(input: { held: string[]; candidates: LeaseCandidate[]; cap: number; demanded: string[] }): Promise<LeaseRound>;
  /** Gives leases up now (a stopped Worker), so another process need not wait for them to expire. */
  release(namespaces: string[]): Promise<void>;
}

const SCOPE = { actor: 'system:freight-worker', reason: 'namespace leases', audit: false } as const;
/** Rows of leases released this long ago are history nobody orders by any more. */
const FORGET_AFTER = '7 days';

/**
 * Namespace leases of one worker process in `freight.worker_namespace_leases`. Every time is the
 * database's clock, so processes on hosts whose clocks disagree still agree on who holds what.
 */
export function createNamespaceLeases(options: {
  sql: Sql; workerId: string; taskQueue: string; ttlMs: number;
  /** Holders known dead without waiting for their leases to expire (a predecessor on this host). */
  isDeadHolder?: (workerId: string) => boolean;
}): NamespaceLeases {
  const { sql, workerId, taskQueue } = options;
  const ttl = options.ttlMs / 1000;

  /** Live-looking leases of processes that are certainly gone: free to take now. */
  async function deadHolders(tx: TransactionSql): Promise<string[]> {
    if (!options.isDeadHolder) return [];
    const rows = await tx<{ worker_id: string }[]>`
      select distinct worker_id from freight.worker_namespace_leases
      where task_queue = ${taskQueue} and expires_at > now() and worker_id <> ${workerId}`;
    return rows.map((r) => r.worker_id).filter((id) => options.isDeadHolder?.(id));
  }

  async function renew(tx: TransactionSql, held: string[]): Promise<string[]> {
    // Renewed even when expired, as long as nobody else took it over meanwhile.
    const rows = await tx<{ namespace: string }[]>`
      update freight.worker_namespace_leases set expires_at = now() + make_interval(secs => ${ttl})
      where task_queue = ${taskQueue} and worker_id = ${workerId} and namespace = any(${held}::text[])
      returning namespace`;
    // Anything else this process held (a Worker that stopped between rounds) is released.
    await tx`
      update freight.worker_namespace_leases set expires_at = least(expires_at, now())
      where task_queue = ${taskQueue} and worker_id = ${workerId} and expires_at > now() and not (namespace = any(${held}::text[]))`;
    return rows.map((r) => r.namespace);
  }

  async function acquire(tx: TransactionSql, candidates: LeaseCandidate[], room: number): Promise<Acquired[]> {
    if (room <= 0 || candidates.length === 0) return [];
    const dead = await deadHolders(tx);
    // Inserted in namespace order, whatever the priority order: two processes taking leases at once
    // then lock rows in the same order and cannot deadlock. A row another process inserted or renewed
    // meanwhile fails the conflict clause's condition and is simply not returned.
    return tx<Acquired[]>`
      with c as (
        select c.namespace, c.tier, c.ord from unnest(${candidates.map((x) => x.namespace)}::text[], ${candidates.map((x) => x.tier)}::int[])
          with ordinality as c(namespace, tier, ord)
      ), wanted as (
        select c.namespace, l.worker_id as previous from c
        left join freight.worker_namespace_leases l on l.task_queue = ${taskQueue} and l.namespace = c.namespace
        where l.namespace is null or l.expires_at <= now() or l.worker_id = any(${dead}::text[])
        order by c.tier, l.expires_at asc nulls first, c.ord
        limit ${room}
      ), taken as (
        insert into freight.worker_namespace_leases as l (task_queue, namespace, worker_id, acquired_at, expires_at)
        select ${taskQueue}, w.namespace, ${workerId}, now(), now() + make_interval(secs => ${ttl}) from wanted w order by w.namespace
        on conflict (task_queue, namespace) do update
          set worker_id = excluded.worker_id, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
          where l.expires_at <= now() or l.worker_id = any(${dead}::text[])
        returning l.namespace
      )
      select t.namespace, w.previous from taken t join wanted w using (namespace)`;
  }

  async function unserved(tx: TransactionSql, demanded: string[]): Promise<string[]> {
    if (demanded.length === 0) return [];
    const rows = await tx<{ namespace: string }[]>`
      select d.namespace from unnest(${demanded}::text[]) with ordinality as d(namespace, ord)
      where not exists (select 1 from freight.worker_namespace_leases l
                        where l.task_queue = ${taskQueue} and l.namespace = d.namespace and l.expires_at > now())
      order by d.ord`;
    return rows.map((r) => r.namespace);
  }

  return {
    round: (input) => withAdminScope(sql, SCOPE, async (tx) => {
      const kept = await renew(tx, input.held);
      const acquired = await acquire(tx, input.candidates.filter((c) => !kept.includes(c.namespace)), input.cap - kept.length);
      await tx`delete from freight.worker_namespace_leases where expires_at < now() - ${FORGET_AFTER}::interval`;
      return { kept, acquired, unserved: await unserved(tx, input.demanded) };
    }),
    async release(namespaces) {
      if (namespaces.length === 0) return;
      await withAdminScope(sql, SCOPE, (tx) => tx`
        update freight.worker_namespace_leases set expires_at = least(expires_at, now())
        where task_queue = ${taskQueue} and worker_id = ${workerId} and namespace = any(${namespaces}::text[])`);
    },
  };
}
