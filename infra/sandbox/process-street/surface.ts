import { BodyTooLargeError, InvalidJsonError } from '../core/body.ts';
import type { ApiSurface } from '../core/pipeline.ts';
import type { JsonReply } from '../core/respond.ts';
import { createRouter } from '../core/router.ts';
import { errorInfo, InvalidQueryError, invalidQueryReply, ProcessStreetApiError } from './errors.ts';
import type { ProcessStreetOrganization } from './generator/index.ts';
import type { ProcessStreetRateLimiter } from './rate-limit.ts';
import { addCollaborationRoutes } from './routes/collab.ts';
import { API_PREFIX, type ProcessStreetRoute, type ProcessStreetRouter } from './routes/context.ts';
import { addRunRoutes } from './routes/runs.ts';
import { addUserRoutes } from './routes/users.ts';
import { addWorkflowRoutes } from './routes/workflows.ts';

export function createProcessStreetRouter(): ProcessStreetRouter {
  const router = createRouter<ProcessStreetRoute>();
  addUserRoutes(router);
  addWorkflowRoutes(router);
  addRunRoutes(router);
  addCollaborationRoutes(router);
  return router;
}

export interface ProcessStreetSurfaceDeps {
  org: ProcessStreetOrganization;
  /** Accepted keys and their labels (GET /testAuth). */
  keyLabels: ReadonlyMap<string, string>;
  limiter: ProcessStreetRateLimiter;
  router: ProcessStreetRouter;
}

function toReply(error: unknown): JsonReply {
  if (error instanceof ProcessStreetApiError) return errorInfo(error.status, error.message);
  if (error instanceof InvalidQueryError) return invalidQueryReply();
  if (error instanceof BodyTooLargeError) return errorInfo(413, error.message);
  if (error instanceof InvalidJsonError) return errorInfo(400, error.message);
  throw error;
}

/** The v1.1 API and SCIM on one server, one key set and one per-key rate limit. */
export function createProcessStreetSurface(deps: ProcessStreetSurfaceDeps): ApiSurface {
  const { org, keyLabels, limiter, router } = deps;
  return {
    // `X-API-KEY` in any case: node lower-cases header names.
    authenticate(headers) {
      const key = headers['x-api-key'];
      if (typeof key === 'string' && keyLabels.has(key)) return key;
      return errorInfo(401, key === undefined ? 'Missing API key (X-API-KEY header)' : 'Invalid API key');
    },
    isWrite: (method) => method !== 'GET' && method !== 'HEAD',
    admit(principal) {
      const admission = limiter.admit(principal);
      if (admission.ok) return {};
      return { reply: errorInfo(429, 'Too many requests', { 'Retry-After': admission.retryAfterSec }) };
    },
    injectedReply(status, retryAfterSec) {
      if (status === 429) return errorInfo(429, 'Too many requests', { 'Retry-After': Math.max(1, retryAfterSec) });
      return errorInfo(status, status === 503 ? 'Service unavailable' : 'Internal server error');
    },
    handle(request) {
      const match = router.match(request.method, request.segments);
      if (match.kind === 'not_found') return errorInfo(404, `No route for ${request.method} /${request.segments.join('/')}`);
      if (match.kind === 'method_not_allowed') return errorInfo(405, `${request.method} is not allowed here`);
      const baseUrl = `http://${request.headers.host ?? '127.0.0.1'}`;
      try {
        return match.handler({
          org, params: match.params, principal: request.principal, keyLabels, query: request.query, baseUrl,
          path: `/${request.segments.map(encodeURIComponent).join('/')}`, apiBase: `${baseUrl}${API_PREFIX}`,
        });
      } catch (error) {
        return toReply(error);
      }
    },
    mapError: toReply,
  };
}

/** "GET /api/v1.1/workflow-runs/:runId/tasks": the route an API call addressed, for the request counts. */
export function endpointOf(router: ProcessStreetRouter): (method: string, path: string) => string {
  return (method, path) => {
    const segments = path.split('/').filter((s) => s !== '');
    const match = router.match(method, segments);
    return `${method} ${match.kind === 'found' ? match.pattern : '(no route)'}`;
  };
}
