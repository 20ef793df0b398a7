import type { ConnectionChecker } from '../../../shared/connections/connection-check.ts';
import type { ConnectionService } from '../../../shared/connections/connections.ts';
import type { OutboundPolicy } from '../../../shared/outbound/outbound-policy.ts';
import { createRouter } from '../../openapi.ts';
import { createConnectionHandlers } from './handlers.ts';
import { createConnectionRoute, deleteConnectionRoute, getConnectionRoute, listConnectionsRoute, testConnectionRoute, updateConnectionRoute } from './routes.ts';

/** `/v1/connections`: a tenant's CRM connections; engineers write and test, viewers read, credentials never leave. */
export function createConnectionsRouter(deps: { connections: ConnectionService; outbound: OutboundPolicy; check: ConnectionChecker }) {
  const route = createConnectionRoute(deps.outbound);
  const handlers = createConnectionHandlers({ ...deps, createRoute: route });
  return createRouter()
    .openapi(route, handlers.create)
    .openapi(listConnectionsRoute, handlers.list)
    .openapi(getConnectionRoute, handlers.get)
    .openapi(updateConnectionRoute, handlers.update)
    .openapi(deleteConnectionRoute, handlers.remove)
    .openapi(testConnectionRoute, handlers.test);
}
