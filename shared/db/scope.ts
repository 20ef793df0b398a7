import type { Sql, TransactionSql } from './client.ts';

/**
 * Runs `fn` in a transaction whose row-level security sees exactly one tenant. The setting is
 * transaction-local (`set_config(..., true)`), so a pooled connection never carries it further.
 * The setting is sent without waiting for its answer: `fn`'s first statement follows it on the same
 * connection (PostgreSQL runs them in order), which saves a round trip on every scoped transaction.
 */
export async function withTenant<T>(sql: Sql, tenantId: string, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  const result = await sql.begin(async (tx) => {
    // execute() queues the statement now, ahead of anything `fn` sends.
    const scoped = tx`select set_config('app.tenant_id', ${tenantId}, true)`.execute();
    const [, out] = await Promise.all([scoped, fn(tx)]);
    return out;
  });
  return result as T;
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
export async function withAdminScope<T>(sql: Sql, why: AdminScopeReason, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  const result = await sql.begin(async (tx) => {
    await tx`select set_config('app.scope', 'admin', true)`;
    if (why.audit !== false) {
      await tx`
        insert into freight.audit_events (tenant_id, actor_type, actor_id, actor_role, action, request_id, details)
        values (null, 'system', ${why.actor}, 'admin', 'admin.scope', ${why.requestId ?? null}, ${tx.json({ reason: why.reason })})`;
    }
    return fn(tx);
  });
  return result as T;
}
