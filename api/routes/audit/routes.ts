import { createRoute } from '@hono/zod-openapi';
import { secured } from '../../openapi.ts';
import { AdminAuditQuerySchema, AuditPageSchema, AuditQuerySchema } from '../../schemas/audit.ts';
import { AUTHENTICATED_ERRORS, errorResponses, jsonResponse } from '../../schemas/common.ts';

export const listAuditRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/audit',
  tags: ['Audit'],
  summary: "List your tenant's audit trail",
  description:
    'Every state change of the tenant (who, what, which target, when, under which request id), newest first, keyset-paginated. ' +
    'Viewers may read it too: it holds names and ids, never secrets. Filters: `actor`, `action` (exact or `prefix.*`), `from`, `to`.',
  request: { query: AuditQuerySchema },
  responses: {
    200: jsonResponse(AuditPageSchema, 'A page of audit rows'),
    ...errorResponses(...AUTHENTICATED_ERRORS),
  },
}));

export const listAdminAuditRoute = createRoute(secured(['admin'], {
  method: 'get',
  path: '/admin/audit',
  tags: ['Audit'],
  summary: 'List the audit trail of every tenant',
  description:
    'All tenants plus platform rows (tenant null, e.g. `admin.scope`), or one tenant with `tenantId`. The read itself is audited ' +
    '(`admin.scope`). Same filters and pagination as `GET /v1/audit`.',
  request: { query: AdminAuditQuerySchema },
  responses: {
    200: jsonResponse(AuditPageSchema, 'A page of audit rows'),
    ...errorResponses(...AUTHENTICATED_ERRORS),
  },
}));
