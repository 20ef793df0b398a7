import type { TenantService } from '../../../shared/tenancy/tenants.ts';
import { createRouter } from '../../openapi.ts';
import { createTenantHandlers } from './handlers.ts';
import { createTenantRoute, getTenantRoute, listTenantsRoute } from './routes.ts';

/** `/v1/tenants`: admin lifecycle of tenants; a tenant's own members may read it. */
export function createTenantsRouter(deps: { tenants: TenantService }) {
  const handlers = createTenantHandlers(deps);
  return createRouter()
    .openapi(createTenantRoute, handlers.create)
    .openapi(listTenantsRoute, handlers.list)
    .openapi(getTenantRoute, handlers.get);
}
