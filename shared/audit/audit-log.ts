import type { Actor } from '../auth/principal.ts';
import { ACTOR_TYPES } from '../auth/principal.ts';
import type { Sql, TransactionSql } from '../db/client.ts';
import { withAdminScope, withTenant } from '../db/scope.ts';
import { ForbiddenError, ValidationError } from '../errors.ts';
import { scopeActorName } from '../tenancy/audit.ts';
import { AUDIT_CURSOR } from '../tenancy/cursor.ts';
import { parseRfc3339 } from '../time/rfc3339.ts';

/** 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z (Date.UTC reads years below 100 as 19xx). */
const EARLIEST_MS = -62_135_596_800_000;
const LATEST_MS = 253_402_300_799_999;
import { ownTenantOf } from '../tenancy/tenant-model.ts';

/** One row of `freight.audit_events`, as the API returns it. */
export interface AuditEntry {
  id: string;
  tenantId: string | null;
  actor: { type: string; id: string; role: string };
  action: string;
  target: { type: string; id: string } | null;
  requestId: string | null;
  details: unknown;
  occurredAt: string;
}

export interface AuditQuery {
  limit: number;
  cursor?: string | undefined;
  /** `actor_id`, or `type:id` (e.g. `api_key:0d8a…`). */
  actor?: string | undefined;
  /** Exact action (`job.cancel`) or a prefix ending in `*` (`job.*`). */
  action?: string | undefined;
  /** ISO times, inclusive `from`, exclusive `to`. */
  from?: string | undefined;
  to?: string | undefined;
  /** Admin reads only: one tenant. */
  tenantId?: string | undefined;
}

export interface AuditPage {
  data: AuditEntry[];
  nextCursor: string | null;
}

interface AuditRow {
  id: string;
  tenant_id: string | null;
  actor_type: string;
  actor_id: string;
  actor_role: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  request_id: string | null;
  details: unknown;
  occurred_at: Date;
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: String(row.id),
    tenantId: row.tenant_id,
    actor: { type: row.actor_type, id: row.actor_id, role: row.actor_role },
    action: row.action,
    target: row.target_type !== null || row.target_id !== null ? { type: row.target_type ?? '', id: row.target_id ?? '' } : null,
    requestId: row.request_id,
    details: row.details,
    occurredAt: row.occurred_at.toISOString(),
  };
}

/** `type:id` when the prefix is a known actor type, else a bare actor id. */
export function parseActorFilter(raw: string): { type?: string; id: string } {
  const colon = raw.indexOf(':');
  if (colon > 0) {
    const type = raw.slice(0, colon);
    if ((ACTOR_TYPES as readonly string[]).includes(type)) return { type, id: raw.slice(colon + 1) };
  }
  return { id: raw };
}

/** `job.*` → LIKE pattern `job.%` (with LIKE's own wildcards escaped); anything else is exact. */
export function parseActionFilter(raw: string): { exact: string } | { like: string } {
  if (!raw.endsWith('*')) return { exact: raw };
  const prefix = raw.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`);
  return { like: `${prefix}%` };
}

function invalid(path: string, message: string): ValidationError {
  return new ValidationError('Invalid audit query', [{ path: [path], message }]);
}

/**
 * Reads the audit trail, newest first, keyset-paginated on (occurred_at, id). Tenant callers see
 * their own tenant's rows through RLS; admins read every tenant (and platform rows, whose tenant is
 * null) through the audited admin scope.
 */
export function createAuditLog(deps: { sql: Sql }) {
  const { sql } = deps;

  async function query(tx: TransactionSql, q: AuditQuery): Promise<AuditPage> {
    const after = q.cursor ? AUDIT_CURSOR.decode(q.cursor) : undefined;
    if (q.cursor && !after) {
      throw invalid('cursor', 'not a cursor from a previous page');
    }
    // Times go to PostgreSQL as JS itself printed them, inside the years PostgreSQL and toISOString
    // share: no audit entry lies outside them, so clamping changes no answer (0000-01-01 is valid RFC 3339).
    const times: { from?: string; to?: string } = {};
    for (const key of ['from', 'to'] as const) {
      const value = q[key];
      if (value === undefined) continue;
      const ms = parseRfc3339(value);
      if (ms === undefined) throw invalid(key, 'an RFC 3339 date-time');
      times[key] = new Date(Math.min(Math.max(ms, EARLIEST_MS), LATEST_MS)).toISOString();
    }
    const actor = q.actor ? parseActorFilter(q.actor) : undefined;
    const action = q.action ? parseActionFilter(q.action) : undefined;
    const conditions = [
      q.tenantId ? tx`tenant_id = ${q.tenantId}::uuid` : null,
      actor ? tx`actor_id = ${actor.id}` : null,
      actor?.type ? tx`actor_type = ${actor.type}` : null,
      action && 'exact' in action ? tx`action = ${action.exact}` : null,
      action && 'like' in action ? tx`action like ${action.like}` : null,
      times.from ? tx`occurred_at >= ${times.from}::timestamptz` : null,
      times.to ? tx`occurred_at < ${times.to}::timestamptz` : null,
      after ? tx`(date_trunc('milliseconds', occurred_at), id) < (${after[0] ?? ''}::timestamptz, ${after[1] ?? '0'}::bigint)` : null,
    ].filter((c) => c !== null);
    const where = conditions.reduce((acc, c) => tx`${acc} and ${c}`, tx`true`);
    const rows = await tx<AuditRow[]>`
      select id::text, tenant_id, actor_type, actor_id, actor_role, action, target_type, target_id, request_id, details,
             date_trunc('milliseconds', occurred_at) as occurred_at
      from freight.audit_events where ${where}
      order by date_trunc('milliseconds', occurred_at) desc, id desc limit ${q.limit + 1}`;
    const data = rows.slice(0, q.limit).map(toEntry);
    const last = data.at(-1);
    return { data, nextCursor: rows.length > q.limit && last ? AUDIT_CURSOR.encode([last.occurredAt, last.id]) : null };
  }

  /** The caller's own tenant (engineers and viewers). */
  async function listForTenant(actor: Actor, q: Omit<AuditQuery, 'tenantId'>): Promise<AuditPage> {
    const tenantId = ownTenantOf(actor.principal);
    return withTenant(sql, tenantId, (tx) => query(tx, { ...q, tenantId }));
  }

  /** Every tenant, or one with `tenantId`; the read itself is audited (`admin.scope`). */
  async function listAll(actor: Actor, q: AuditQuery): Promise<AuditPage> {
    if (actor.principal.role !== 'admin') throw new ForbiddenError();
    const why = { actor: scopeActorName(actor), reason: 'read audit trail', requestId: actor.requestId ?? undefined };
    return withAdminScope(sql, why, (tx) => query(tx, q));
  }

  return { listForTenant, listAll };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
