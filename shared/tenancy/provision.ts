import type { Connection } from '@temporalio/client';
import type { Sql } from '../db/client.ts';
import { withAdminScope, withTenant } from '../db/scope.ts';
import { DependencyError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { ensureNamespace as defaultEnsureNamespace, type EnsureNamespaceOptions } from '../temporal.ts';
import { SYSTEM_PRINCIPAL, type Actor } from '../auth/principal.ts';
import { recordAudit } from './audit.ts';
import { toTenant, type Tenant, type TenantRow } from './tenant-model.ts';

export interface ProvisionDeps {
  sql: Sql;
  temporal: Connection;
  logger: Logger;
  /** Replaceable in unit tests; defaults to the real, idempotent `ensureNamespace`. */
  ensureNamespace?: (options: EnsureNamespaceOptions) => Promise<void>;
}

function messageOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 500);
}

/**
 * Takes a tenant from `provisioning` to `active`: registers its Temporal namespace (a no-op when
 * already there), then flips the status. Every step is idempotent, so a call interrupted anywhere
 * (Temporal or PostgreSQL down) is finished by simply calling it again.
 */
export async function provisionTenant(deps: ProvisionDeps, actor: Actor, tenant: Tenant): Promise<Tenant> {
  if (tenant.status !== 'provisioning') return tenant;
  const ensure = deps.ensureNamespace ?? defaultEnsureNamespace;
  try {
    await ensure({
      connection: deps.temporal,
      namespace: tenant.namespace,
      retentionDays: tenant.retentionDays,
      description: `Freight tenant ${tenant.slug}`,
      logger: deps.logger,
    });
  } catch (err) {
    const message = messageOf(err);
    deps.logger.warn({ err, tenantId: tenant.id, namespace: tenant.namespace }, 'tenant provisioning failed');
    await withTenant(deps.sql, tenant.id, (tx) => tx`
      update freight.tenants set provisioning_error = ${message}, updated_at = now()
      where id = ${tenant.id} and status = 'provisioning'`).catch((dbErr: unknown) => {
      deps.logger.warn({ err: dbErr, tenantId: tenant.id }, 'could not record provisioning error');
    });
    throw new DependencyError('Temporal', `namespace ${tenant.namespace} could not be registered; the tenant stays in provisioning, repeat the request to finish it`, err);
  }
  return withTenant(deps.sql, tenant.id, async (tx) => {
    const [row] = await tx<TenantRow[]>`
      update freight.tenants set status = 'active', provisioning_error = null, updated_at = now()
      where id = ${tenant.id} and status = 'provisioning' returning *`;
    if (row) {
      await recordAudit(tx, actor, {
        tenantId: tenant.id, action: 'tenant.activate', targetType: 'tenant', targetId: tenant.id,
        details: { namespace: tenant.namespace },
      });
      deps.logger.info({ tenantId: tenant.id, namespace: tenant.namespace }, 'tenant active');
      return toTenant(row);
    }
    // Someone else finished it meanwhile.
    const [current] = await tx<TenantRow[]>`select * from freight.tenants where id = ${tenant.id}`;
    return current ? toTenant(current) : tenant;
  });
}

export interface ReconcileResult {
  activated: string[];
  failed: { slug: string; error: string }[];
}

/**
 * Finishes every tenant left in `provisioning` (a crash or an outage during creation). Run at
 * startup; failures are reported, not thrown, so one bad tenant does not keep the API down.
 */
export async function reconcileTenants(deps: ProvisionDeps): Promise<ReconcileResult> {
  const actor: Actor = { principal: SYSTEM_PRINCIPAL, requestId: null };
  const stuck = await withAdminScope(deps.sql, { actor: 'system:freight', reason: 'reconcile provisioning tenants', audit: false }, (tx) =>
    tx<TenantRow[]>`select * from freight.tenants where status = 'provisioning' order by created_at`);
  const result: ReconcileResult = { activated: [], failed: [] };
  for (const row of stuck) {
    try {
      const tenant = await provisionTenant(deps, actor, toTenant(row));
      if (tenant.status === 'active') result.activated.push(tenant.slug);
    } catch (err) {
      result.failed.push({ slug: row.slug, error: messageOf(err) });
    }
  }
  if (stuck.length > 0) deps.logger.info(result, 'tenant reconciliation finished');
  return result;
}
