import { withAdminScope, withTenant } from '../db/scope.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { namespaceFor } from '../temporal.ts';
import type { Actor } from '../auth/principal.ts';
import { recordAudit, scopeActorName } from './audit.ts';
import { provisionTenant, type ProvisionDeps } from './provision.ts';
import {
  MAX_RETENTION_DAYS, SLUG_PATTERN, tenantScopeFor, toTenant, UUID_PATTERN, type Tenant, type TenantRow,
} from './tenant-model.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

export interface TenantServiceOptions extends Omit<ProvisionDeps, 'temporal'> {
  /** Needed only to create tenants; read-only users (CLI `tenant list`) need not connect. */
  temporal?: ProvisionDeps['temporal'] | undefined;
  namespacePrefix: string;
  defaultRetentionDays: number;
}

export interface CreateTenantInput {
  slug: string;
  name: string;
  /** Omitted: the configured default for a new tenant, and "whatever it has" for an existing one. */
  retentionDays?: number | undefined;
}

export interface TenantPage {
  data: Tenant[];
  nextCursor: string | null;
}

/** The API validates at the edge too; this guards the CLI and any other caller. */
function assertValidInput(input: CreateTenantInput): void {
  const issues: { path: string[]; message: string }[] = [];
  if (!SLUG_PATTERN.test(input.slug)) issues.push({ path: ['slug'], message: 'lowercase letters, digits and inner hyphens, 1-40 characters' });
  if (input.name.trim().length === 0 || input.name.length > 200) issues.push({ path: ['name'], message: '1-200 characters' });
  const r = input.retentionDays;
  if (r !== undefined && (!Number.isInteger(r) || r < 1 || r > MAX_RETENTION_DAYS)) issues.push({ path: ['retentionDays'], message: `an integer from 1 to ${MAX_RETENTION_DAYS}` });
  if (issues.length > 0) throw new ValidationError('Invalid tenant', issues);
}

/** Tenant lifecycle: create (idempotent, converging), read, list. Callers check roles; scoping is enforced here. */
export function createTenantService(options: TenantServiceOptions) {
  const { sql } = options;

  /**
   * Creates the tenant or converges on the existing one with the same slug: a repeated or
   * interrupted request finishes provisioning instead of failing. A different name or retention
   * under the same slug is a conflict, not a silent update.
   */
  async function create(actor: Actor, input: CreateTenantInput): Promise<{ tenant: Tenant; created: boolean }> {
    assertValidInput(input);
    const { temporal } = options;
    if (!temporal) throw new Error('creating a tenant needs a Temporal connection');
    const retentionDays = input.retentionDays ?? options.defaultRetentionDays;
    const namespace = namespaceFor(options.namespacePrefix, input.slug);
    const why = { actor: scopeActorName(actor), reason: 'create tenant', requestId: actor.requestId ?? undefined, audit: false };
    const { row, created } = await withAdminScope(sql, why, async (tx) => {
      const [inserted] = await tx<TenantRow[]>`
        insert into freight.tenants (slug, name, namespace, status, retention_days)
        values (${input.slug}, ${input.name}, ${namespace}, 'provisioning', ${retentionDays})
        on conflict do nothing returning *`;
      if (inserted) {
        await recordAudit(tx, actor, {
          tenantId: inserted.id, action: 'tenant.create', targetType: 'tenant', targetId: inserted.id,
          details: { slug: input.slug, name: input.name, namespace, retentionDays },
        });
        return { row: inserted, created: true };
      }
      const [existing] = await tx<TenantRow[]>`select * from freight.tenants where slug = ${input.slug}`;
      if (!existing) throw new ConflictError(`Namespace ${namespace} is already taken`);
      return { row: existing, created: false };
    });
    const tenant = toTenant(row);
    if (!created) {
      const differs = tenant.name !== input.name || (input.retentionDays !== undefined && tenant.retentionDays !== input.retentionDays);
      if (differs) {
        throw new ConflictError(`Tenant ${input.slug} already exists with different settings`, {
          existing: { id: tenant.id, name: tenant.name, retentionDays: tenant.retentionDays },
        });
      }
    }
    return { tenant: await provisionTenant({ ...options, temporal }, actor, tenant), created };
  }

  async function get(actor: Actor, tenantId: string): Promise<Tenant> {
    const scope = tenantScopeFor(actor.principal, tenantId);
    const [row] = await withTenant(sql, scope, (tx) => tx<TenantRow[]>`select * from freight.tenants where id = ${scope}`);
    if (!row) throw new NotFoundError('Tenant');
    const tenant = toTenant(row);
    // The raw Temporal error names internal hosts: for platform admins only.
    return actor.principal.role === 'admin' ? tenant : { ...tenant, provisioningError: null };
  }

  /** Admin only: the one cross-tenant read, audited by `withAdminScope`. */
  async function list(actor: Actor, page: { limit: number; cursor?: string | undefined }): Promise<TenantPage> {
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    if (page.cursor && !after) throw new ValidationError('Invalid cursor', [{ path: ['cursor'], message: 'not a cursor from a previous page' }]);
    const why = { actor: scopeActorName(actor), reason: 'list tenants', requestId: actor.requestId ?? undefined };
    const rows = await withAdminScope(sql, why, (tx) => tx<TenantRow[]>`
      select * from freight.tenants
      where ${after ? tx`(date_trunc('milliseconds', created_at), id) > (${after.createdAt}::timestamptz, ${after.id}::uuid)` : tx`true`}
      order by date_trunc('milliseconds', created_at), id limit ${page.limit + 1}`);
    const data = rows.slice(0, page.limit).map(toTenant);
    const last = data.at(-1);
    return { data, nextCursor: rows.length > page.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
  }

  /** Admin only: finds a tenant by slug or id (the CLI accepts either). */
  async function resolve(actor: Actor, slugOrId: string): Promise<Tenant> {
    const why = { actor: scopeActorName(actor), reason: 'resolve tenant', audit: false };
    const byId = UUID_PATTERN.test(slugOrId);
    const [row] = await withAdminScope(sql, why, (tx) => byId
      ? tx<TenantRow[]>`select * from freight.tenants where id = ${slugOrId}`
      : tx<TenantRow[]>`select * from freight.tenants where slug = ${slugOrId}`);
    if (!row) throw new NotFoundError('Tenant');
    return toTenant(row);
  }

  return { create, get, list, resolve };
}

export type TenantService = ReturnType<typeof createTenantService>;
