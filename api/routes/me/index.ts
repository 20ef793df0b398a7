import type { TenantService } from '../../../shared/tenancy/tenants.ts';
import { createRouter } from '../../openapi.ts';
import { createMeHandlers } from './handlers.ts';
import { meRoute } from './routes.ts';

/** `/v1/me`: lets any client check what its credentials are worth. */
export function createMeRouter(deps: { tenants: TenantService }) {
  return createRouter().openapi(meRoute, createMeHandlers(deps).me);
}
