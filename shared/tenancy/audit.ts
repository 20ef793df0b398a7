import type postgres from 'postgres';
import type { TransactionSql } from '../db/client.ts';
import type { Actor } from '../auth/principal.ts';

export interface AuditEvent {
  /** Null for platform-level actions that belong to no tenant. */
  tenantId: string | null;
  /** Dotted verb, e.g. `tenant.create`, `api_key.revoke`. */
  action: string;
  targetType?: string;
  targetId?: string;
  /** Never secrets: names, roles, prefixes, counts. */
  details?: { [key: string]: postgres.JSONValue | undefined };
}

/**
 * Appends one audit row. Call it with the transaction that makes the change, so the change and
 * its record commit or roll back together.
 */
export async function recordAudit(tx: TransactionSql, actor: Actor, event: AuditEvent): Promise<void> {
  const { principal } = actor;
  await tx`
    insert into freight.audit_events
      (tenant_id, actor_type, actor_id, actor_role, action, target_type, target_id, request_id, details)
    values
      (${event.tenantId}, ${principal.actorType}, ${principal.actorId}, ${principal.role}, ${event.action},
       ${event.targetType ?? null}, ${event.targetId ?? null}, ${actor.requestId}, ${tx.json(event.details ?? {})})`;
}

/** How an actor is named in `withAdminScope`'s own audit row. */
export function scopeActorName(actor: Actor): string {
  return `${actor.principal.actorType}:${actor.principal.actorId}`;
}
