import type { ApiKeyService } from '../../../shared/tenancy/api-keys.ts';
import { createRouter } from '../../openapi.ts';
import { createApiKeyHandlers } from './handlers.ts';
import { createApiKeyRoute, listApiKeysRoute, revokeApiKeyRoute } from './routes.ts';

/** Tenant API keys: `/v1/tenants/{id}/api-keys` and `/v1/api-keys/{id}`. */
export function createApiKeysRouter(deps: { apiKeys: ApiKeyService }) {
  const handlers = createApiKeyHandlers(deps);
  return createRouter()
    .openapi(createApiKeyRoute, handlers.create)
    .openapi(listApiKeysRoute, handlers.list)
    .openapi(revokeApiKeyRoute, handlers.revoke);
}
