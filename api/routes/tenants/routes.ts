import { createRoute, z } from '@hono/zod-openapi';
import { secured } from '../../openapi.ts';
import { AUTHENTICATED_ERRORS, errorResponses, jsonBody, jsonResponse, UuidParam } from '../../schemas/common.ts';
import { CreateTenantSchema, TenantListQuery, TenantPageSchema, TenantSchema } from '../../schemas/tenant.ts';

export const createTenantRoute = createRoute(secured(['admin'], {
  method: 'post',
  path: '/',
  tags: ['Tenants'],
  summary: 'Create a tenant (idempotent by slug)',
  description:
    'Inserts the tenant, registers its Temporal namespace and search attributes, then marks it active. ' +
    'Repeating the request with the same body converges (finishing an interrupted provisioning) and answers 200; ' +
    'the same slug with a different name or retention answers 409. If Temporal is unavailable the answer is 503 ' +
    'and the tenant stays in `provisioning` until the request is repeated or the API restarts.',
  request: { body: jsonBody(CreateTenantSchema, 'The tenant to create') },
  responses: {
    201: jsonResponse(TenantSchema, 'Created and provisioned'),
    200: jsonResponse(TenantSchema, 'Already existed; provisioning finished if it was pending'),
    ...errorResponses(...AUTHENTICATED_ERRORS, 409, 413, 415, 503),
  },
}));

export const listTenantsRoute = createRoute(secured(['admin'], {
  method: 'get',
  path: '/',
  tags: ['Tenants'],
  summary: 'List tenants',
  description: 'Oldest first, keyset-paginated; pass `nextCursor` back as `cursor`.',
  request: { query: TenantListQuery },
  responses: {
    200: jsonResponse(TenantPageSchema, 'A page of tenants'),
    ...errorResponses(...AUTHENTICATED_ERRORS),
  },
}));

export const getTenantRoute = createRoute(secured(['admin', 'engineer', 'viewer'], {
  method: 'get',
  path: '/{tenantId}',
  tags: ['Tenants'],
  summary: 'Get a tenant',
  description: 'Admins read any tenant; everyone else only their own (others answer 404).',
  request: { params: z.object({ tenantId: UuidParam('tenantId', 'Tenant id') }) },
  responses: {
    200: jsonResponse(TenantSchema, 'The tenant'),
    ...errorResponses(...AUTHENTICATED_ERRORS, 404),
  },
}));
