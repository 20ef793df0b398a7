import { ForbiddenError, NotFoundError } from '../errors.ts';
import type { Principal } from '../auth/principal.ts';

export type TenantStatus = 'provisioning' | 'active' | 'suspended';

/** Same rule as the `tenants.slug` CHECK: it becomes part of a Temporal namespace and S3 paths. */
export const SLUG_PATTERN = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_RETENTION_DAYS = 3650;

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  namespace: string;
  status: TenantStatus;
  retentionDays: number;
  rateLimitPerMinute: number | null;
  /** Why the last provisioning attempt failed; null once the tenant is active. */
  provisioningError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TenantRow {
  id: string;
  slug: string;
  name: string;
  namespace: string;
  status: TenantStatus;
  retention_days: number;
  rate_limit_per_minute: number | null;
  provisioning_error: string | null;
  created_at: Date;
  updated_at: Date;
}

export function toTenant(row: TenantRow): Tenant {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    namespace: row.namespace,
    status: row.status,
    retentionDays: row.retention_days,
    rateLimitPerMinute: row.rate_limit_per_minute,
    provisioningError: row.provisioning_error,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * The tenant whose rows a principal may touch when it asks for `tenantId`. Anyone but an admin
 * asking for another tenant gets the same 404 as for a tenant that does not exist: no oracle.
 */
export function tenantScopeFor(principal: Principal, tenantId: string, what = 'Tenant'): string {
  if (!UUID_PATTERN.test(tenantId)) throw new NotFoundError(what);
  if (principal.tenantId !== null && principal.tenantId !== tenantId.toLowerCase()) throw new NotFoundError(what);
  return tenantId.toLowerCase();
}

/**
 * The tenant of a tenant-scoped principal (engineer, viewer). Connections and jobs live inside one
 * tenant; the routes already keep admins out, this guards every other caller of the services.
 */
export function ownTenantOf(principal: Principal): string {
  if (principal.tenantId === null) throw new ForbiddenError('This operation acts inside one tenant; use a tenant API key or token');
  return principal.tenantId;
}
