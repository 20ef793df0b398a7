import type { RouteHandler } from '@hono/zod-openapi';
import type { TenantService } from '../../../shared/tenancy/tenants.ts';
import { actorOf } from '../../actor.ts';
import type { AppEnv } from '../../types.ts';
import type { meRoute } from './routes.ts';

export function createMeHandlers(deps: { tenants: TenantService }) {
  const me: RouteHandler<typeof meRoute, AppEnv> = async (c) => {
    const actor = actorOf(c);
    const { principal } = actor;
    const tenant = principal.tenantId ? await deps.tenants.get(actor, principal.tenantId) : null;
    return c.json({
      actorType: principal.actorType,
      actorId: principal.actorId,
      role: principal.role,
      tenantId: principal.tenantId,
      tenant: tenant ? { id: tenant.id, slug: tenant.slug, name: tenant.name, status: tenant.status } : null,
    }, 200);
  };
  return { me };
}
