import { createRouter } from '../../openapi.ts';
import type { ReadinessDeps } from './checks.ts';
import { createHealthHandlers } from './handlers.ts';
import { healthRoute, readyRoute } from './routes.ts';

/** `/health` and `/ready`: unauthenticated, for load balancers and orchestrators. */
export function createHealthRouter(deps: ReadinessDeps) {
  const handlers = createHealthHandlers(deps);
  return createRouter().openapi(healthRoute, handlers.health).openapi(readyRoute, handlers.ready);
}
