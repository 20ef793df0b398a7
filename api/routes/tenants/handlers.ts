import type { RouteHandler } from '@hono/zod-openapi';
import type { TenantService } from '../../../shared/tenancy/tenants.ts';
import { actorOf } from '../../actor.ts';
import type { AppEnv } from '../../types.ts';
import type { createTenantRoute, getTenantRoute, listTenantsRoute } from './routes.ts';

export function createTenantHandlers(deps: { tenants: TenantService }) {
  const create: RouteHandler<typeof createTenantRoute, AppEnv> = async (c) => {
    const body = c.req.valid('json');
    const { tenant, created } = await deps.tenants.create(actorOf(c), body);
    return created ? c.json(tenant, 201) : c.json(tenant, 200);
  };

  const list: RouteHandler<typeof listTenantsRoute, AppEnv> = async (c) => {
    const query = c.req.valid('query');
    return c.json(await deps.tenants.list(actorOf(c), query), 200);
  };

  const get: RouteHandler<typeof getTenantRoute, AppEnv> = async (c) => {
    const { tenantId } = c.req.valid('param');
    return c.json(await deps.tenants.get(actorOf(c), tenantId), 200);
  };

  return { create, list, get };
}
