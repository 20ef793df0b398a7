import { createRoute, z } from '@hono/zod-openapi';
import { secured } from '../../openapi.ts';
import { ApiKeyListSchema, ApiKeySchema, CreateApiKeySchema, CreatedApiKeySchema } from '../../schemas/api-key.ts';
import { AUTHENTICATED_ERRORS, errorResponses, jsonBody, jsonResponse, UuidParam } from '../../schemas/common.ts';

const TenantParams = z.object({ tenantId: UuidParam('tenantId', 'Tenant id') });

export const createApiKeyRoute = createRoute(secured(['admin'], {
  method: 'post',
  path: '/tenants/{tenantId}/api-keys',
  tags: ['API keys'],
  summary: 'Create an API key for a tenant',
  description: 'The response carries the key itself (`key`) once; only its hash is stored. The tenant must be active.',
  request: { params: TenantParams, body: jsonBody(CreateApiKeySchema, 'The key to create') },
  responses: {
    201: jsonResponse(CreatedApiKeySchema, 'Created; `key` is shown only now'),
    ...errorResponses(...AUTHENTICATED_ERRORS, 404, 409, 413, 415),
  },
}));

export const listApiKeysRoute = createRoute(secured(['admin', 'engineer'], {
  method: 'get',
  path: '/tenants/{tenantId}/api-keys',
  tags: ['API keys'],
  summary: "List a tenant's API keys (never the secrets)",
  description: 'Engineers may list their own tenant\'s keys, e.g. to find and revoke a leaked one.',
  request: { params: TenantParams },
  responses: {
    200: jsonResponse(ApiKeyListSchema, 'Newest first, revoked keys included'),
    ...errorResponses(...AUTHENTICATED_ERRORS, 404),
  },
}));

export const revokeApiKeyRoute = createRoute(secured(['admin', 'engineer'], {
  method: 'delete',
  path: '/api-keys/{keyId}',
  tags: ['API keys'],
  summary: 'Revoke an API key',
  description: 'Takes effect immediately. Idempotent: revoking a revoked key returns it unchanged. Engineers revoke keys of their own tenant only.',
  request: { params: z.object({ keyId: UuidParam('keyId', 'API key id') }) },
  responses: {
    200: jsonResponse(ApiKeySchema, 'The revoked key'),
    ...errorResponses(...AUTHENTICATED_ERRORS, 404),
  },
}));
