import type { RouteHandler } from '@hono/zod-openapi';
import type { AuditLog } from '../../../shared/audit/audit-log.ts';
import { actorOf } from '../../actor.ts';
import { createRouter } from '../../openapi.ts';
import type { AppEnv } from '../../types.ts';
import { listAdminAuditRoute, listAuditRoute } from './routes.ts';

/** `/v1/audit` (own tenant) and `/v1/admin/audit` (every tenant): read-only views of the audit trail. */
export function createAuditRouter(deps: { audit: AuditLog }) {
  const list: RouteHandler<typeof listAuditRoute, AppEnv> = async (c) =>
    c.json(await deps.audit.listForTenant(actorOf(c), c.req.valid('query')), 200);
  const listAll: RouteHandler<typeof listAdminAuditRoute, AppEnv> = async (c) =>
    c.json(await deps.audit.listAll(actorOf(c), c.req.valid('query')), 200);
  return createRouter().openapi(listAuditRoute, list).openapi(listAdminAuditRoute, listAll);
}
