import { createRoute, z } from '@hono/zod-openapi';
import { secured } from '../../openapi.ts';
import { AUTHENTICATED_ERRORS, errorResponses, jsonResponse } from '../../schemas/common.ts';

export const MeSchema = z
  .object({
    actorType: z.enum(['api_key', 'jwt', 'admin_env', 'cli', 'system']),
    actorId: z.string().openapi({ description: 'API key id, JWT subject, or bootstrap-admin-key' }),
    role: z.enum(['admin', 'engineer', 'viewer']),
    tenantId: z.uuid().nullable(),
    tenant: z
      .object({ id: z.uuid(), slug: z.string(), name: z.string(), status: z.enum(['provisioning', 'active', 'suspended']) })
      .nullable(),
  })
  .openapi('Me');

export const meRoute = createRoute(secured(['admin', 'engineer', 'viewer'], {
  method: 'get',
  path: '/',
  tags: ['Identity'],
  summary: 'Who am I',
  description: 'The principal the credentials resolve to, and its tenant (null for admins).',
  responses: { 200: jsonResponse(MeSchema, 'The caller'), ...errorResponses(...AUTHENTICATED_ERRORS) },
}));
