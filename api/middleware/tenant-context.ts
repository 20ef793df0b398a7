import type { Sql } from '../../shared/db/client.ts';
import { withTenant } from '../../shared/db/scope.ts';

export interface TenantContext {
  status: string;
  rateLimitPerMinute: number | null;
}

export interface TenantContextCacheOptions {
  sql: Sql;
  /** How long a status/limit is trusted; a suspension takes at most this long to bite. */
  ttlMs?: number;
  now?: () => number;
  maxEntries?: number;
}

/**
 * Status and rate limit of the caller's tenant, cached briefly so that authenticating a request
 * does not cost a query each time. Read under the tenant's own RLS scope.
 */
export function createTenantContextCache(options: TenantContextCacheOptions) {
  const ttlMs = options.ttlMs ?? 15_000;
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  const cache = new Map<string, { value: TenantContext | null; expires: number }>();

  return async function get(tenantId: string): Promise<TenantContext | null> {
    const t = now();
    const hit = cache.get(tenantId);
    if (hit && hit.expires > t) return hit.value;
    const [row] = await withTenant(options.sql, tenantId, (tx) =>
      tx<{ status: string; rate_limit_per_minute: number | null }[]>`
        select status, rate_limit_per_minute from freight.tenants where id = ${tenantId}`);
    const value = row ? { status: row.status, rateLimitPerMinute: row.rate_limit_per_minute } : null;
    if (cache.size >= maxEntries) cache.clear();
    cache.set(tenantId, { value, expires: t + ttlMs });
    return value;
  };
}

export type TenantContextLookup = ReturnType<typeof createTenantContextCache>;
