import { abortable } from './abortable.ts';
import { poolGateOf, poolLoggerOf, type Sql, type TransactionSql } from './client.ts';

/**
 * Freight's transactions take milliseconds; one unsettled after this long holds a pooled connection
 * (and a gate permit) for a reason worth a log line: a stuck statement, or a driver call that never
 * answered. Once per transaction, so a permanent hang is visible in the process's log.
 */
export const SLOW_TRANSACTION_MS = 60_000;

export interface ScopeOptions {
  /**
   * Ends the wait when it aborts: the call rejects with the signal's reason at once (an activity's
   * cancellation must not wait for the database). The transaction is left to the driver: whatever
   * statement is running finishes or fails on its own (bounded by the server's timeouts), and the
   * transaction then rolls back instead of committing work nobody waits for any more.
   */
  signal?: AbortSignal | undefined;
}

/** Runs `fn` in a transaction that rolls back, rather than commits, when `signal` aborted meanwhile. */
async function begin<T>(sql: Sql, signal: AbortSignal | undefined, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  signal?.throwIfAborted();
  // The wait for a connection is bounded (and abortable) before the driver sees the transaction.
  const release = await poolGateOf(sql)?.acquire(signal);
  const done = sql.begin(async (tx) => {
    const out = await fn(tx);
    signal?.throwIfAborted();
    return out;
  });
  // The permit follows the transaction itself, not a caller that stopped waiting for it.
  void done.then(release, release);
  const logger = poolLoggerOf(sql);
  if (logger) {
    const startedAt = Date.now();
    const watch = setTimeout(() => {
      logger.warn({ ms: Date.now() - startedAt, pool: poolGateOf(sql)?.stats() }, 'a transaction is still unsettled after a minute');
    }, SLOW_TRANSACTION_MS);
    watch.unref();
    const settled = (): void => clearTimeout(watch);
    void done.then(settled, settled);
  }
  return (await abortable(done, signal)) as T;
}

/**
 * Runs `fn` in a transaction whose row-level security sees exactly one tenant. The setting is
 * transaction-local (`set_config(..., true)`), so a pooled connection never carries it further.
 * The setting is sent without waiting for its answer: `fn`'s first statement follows it on the same
 * connection (PostgreSQL runs them in order), which saves a round trip on every scoped transaction.
 */
export function withTenant<T>(sql: Sql, tenantId: string, fn: (tx: TransactionSql) => Promise<T>, options: ScopeOptions = {}): Promise<T> {
  return begin(sql, options.signal, async (tx) => {
    // execute() queues the statement now, ahead of anything `fn` sends.
    const scoped = tx`select set_config('app.tenant_id', ${tenantId}, true)`.execute();
    const [, out] = await Promise.all([scoped, fn(tx)]);
    return out;
  });
}

export interface AdminScopeReason {
  actor: string;
  /** Why the cross-tenant read is needed; kept in the audit trail. */
  reason: string;
  requestId?: string | undefined;
  /** Reads that happen on every request (auth, health) are not audited, only intentional admin reads. */
  audit?: boolean;
}

/**
 * The one explicit path through which platform code reads or writes across tenants. Unless told
 * otherwise it records who crossed the tenant boundary and why, in the same transaction.
 */
export function withAdminScope<T>(sql: Sql, why: AdminScopeReason, fn: (tx: TransactionSql) => Promise<T>, options: ScopeOptions = {}): Promise<T> {
  return begin(sql, options.signal, async (tx) => {
    await tx`select set_config('app.scope', 'admin', true)`;
    if (why.audit !== false) {
      await tx`
        insert into freight.audit_events (tenant_id, actor_type, actor_id, actor_role, action, request_id, details)
        values (null, 'system', ${why.actor}, 'admin', 'admin.scope', ${why.requestId ?? null}, ${tx.json({ reason: why.reason })})`;
    }
    return fn(tx);
  });
}
