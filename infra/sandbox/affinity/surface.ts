import type { IncomingHttpHeaders } from 'node:http';
import { BodyTooLargeError, InvalidJsonError } from '../core/body.ts';
import type { ApiSurface } from '../core/pipeline.ts';
import type { JsonReply } from '../core/respond.ts';
import { createRouter } from '../core/router.ts';
import type { AffinityAccount } from '../generator/index.ts';
import { AffinityApiError, affinityError } from './errors.ts';
import type { AffinityRateLimiter } from './rate-limit.ts';
import type { AffinityRoute } from './routes/context.ts';
import { addEntityRoutes } from './routes/entities.ts';
import { addFieldRoutes } from './routes/fields.ts';
import { addListRoutes } from './routes/lists.ts';
import { addMetaRoutes, QUOTA_FREE_PATHS } from './routes/meta.ts';
import { addNoteRoutes } from './routes/notes.ts';

/** Extracts the key from `Basic base64(":KEY")` (any username) or `Bearer KEY`. */
export function credentialOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const space = header.indexOf(' ');
  if (space < 0) return undefined;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return value || undefined;
  if (scheme !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1) || undefined;
}

export function createAffinitySurface(deps: { account: AffinityAccount; apiKeys: ReadonlySet<string>; limiter: AffinityRateLimiter }): ApiSurface {
  const { account, apiKeys, limiter } = deps;
  const router = createRouter<AffinityRoute>();
  addEntityRoutes(router);
  addListRoutes(router);
  addFieldRoutes(router);
  addNoteRoutes(router);
  addMetaRoutes(router);

  return {
    authenticate(headers: IncomingHttpHeaders) {
      const key = credentialOf(headers.authorization);
      if (key !== undefined && apiKeys.has(key)) return key;
      return affinityError(401, 'Unauthorized: provide the API key as the Basic auth password', undefined, { 'WWW-Authenticate': 'Basic realm="Affinity API"' });
    },
    isWrite: (method) => method !== 'GET' && method !== 'HEAD',
    admit(principal, _write, segments) {
      const admission = limiter.admit(principal, !QUOTA_FREE_PATHS.has(segments[0] ?? ''));
      if (admission.ok) return { headers: admission.headers };
      return {
        headers: admission.headers,
        reply: affinityError(429, 'Rate limit exceeded', undefined, { 'Retry-After': admission.retryAfter ?? 60 }),
      };
    },
    injectedReply(status, retryAfterSec) {
      if (status === 429) return affinityError(429, 'Rate limit exceeded', undefined, { 'Retry-After': Math.max(1, retryAfterSec) });
      return affinityError(status, status === 503 ? 'Service unavailable' : 'Internal server error');
    },
    handle(request) {
      const match = router.match(request.method, request.segments);
      if (match.kind === 'not_found') return affinityError(404, `No route for ${request.method} /${request.segments.join('/')}`);
      if (match.kind === 'method_not_allowed') return affinityError(405, `${request.method} is not allowed here`);
      return match.handler({
        account,
        params: match.params,
        query: request.query,
        path: `/${request.segments.join('/')}`,
        principal: request.principal,
        limiter,
      });
    },
    mapError(error): JsonReply {
      if (error instanceof AffinityApiError) return affinityError(error.status, error.message, error.param);
      if (error instanceof BodyTooLargeError) return affinityError(413, error.message);
      if (error instanceof InvalidJsonError) return affinityError(400, error.message);
      throw error;
    },
  };
}
