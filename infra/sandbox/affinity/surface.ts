import type { IncomingHttpHeaders } from 'node:http';
import { BodyTooLargeError, InvalidJsonError } from '../core/body.ts';
import type { ApiSurface } from '../core/pipeline.ts';
import type { JsonReply } from '../core/respond.ts';
import { createRouter } from '../core/router.ts';
import type { AffinityAccount } from '../generator/index.ts';
import type { AffinityRoute } from './context.ts';
import { AffinityApiError, errorFor, versionOf } from './errors.ts';
import type { AffinityRateLimiter } from './rate-limit.ts';
import type { RequestCounter } from './request-counts.ts';
import { addEntityRoutes } from './v1/entities.ts';
import { addFieldRoutes } from './v1/fields.ts';
import { addListRoutes } from './v1/lists.ts';
import { addMetaRoutes, QUOTA_FREE_PATHS } from './v1/meta.ts';
import { addNoteRoutes } from './v1/notes.ts';
import { addV2EntityRoutes } from './v2/routes/entities.ts';
import { addV2ListRoutes } from './v2/routes/lists.ts';
import { addV2MergeRoutes } from './v2/routes/merges.ts';
import { addV2MetaRoutes } from './v2/routes/meta.ts';
import { addV2NoteRoutes } from './v2/routes/notes.ts';
import { missingPermission } from './v2/permissions.ts';

/** Extracts the key from `Basic base64(":KEY")` (any username) or `Bearer KEY`; v2 takes Bearer only. */
export function credentialOf(header: string | undefined, bearerOnly = false): string | undefined {
  if (!header) return undefined;
  const space = header.indexOf(' ');
  if (space < 0) return undefined;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return value || undefined;
  if (scheme !== 'basic' || bearerOnly) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1) || undefined;
}

const UNAUTHORIZED = {
  v1: { message: 'Unauthorized: provide the API key as the Basic auth password or a Bearer token', challenge: 'Basic realm="Affinity API"' },
  v2: { message: 'Unauthorized: provide the API key as a Bearer token', challenge: 'Bearer realm="Affinity API"' },
} as const;

export interface AffinitySurfaceDeps {
  account: AffinityAccount;
  apiKeys: ReadonlySet<string>;
  /** One limiter for both versions: the docs say requests to both count toward one pool. */
  limiter: AffinityRateLimiter;
  requests: RequestCounter;
  /** Permissions (v2/permissions.ts) the user of a key lacks: its v2 calls that need one answer 403. */
  deniedPermissions?: Readonly<Record<string, readonly string[]>>;
}

/** v1 (docs) and v2 (OpenAPI, under /v2) on one server with one key set and one rate-limit pool. */
export function createAffinitySurface(deps: AffinitySurfaceDeps): ApiSurface {
  const { account, apiKeys, limiter, requests } = deps;
  const router = createRouter<AffinityRoute>();
  addEntityRoutes(router);
  addListRoutes(router);
  addFieldRoutes(router);
  addNoteRoutes(router);
  addMetaRoutes(router);
  addV2EntityRoutes(router);
  addV2ListRoutes(router);
  addV2NoteRoutes(router);
  addV2MergeRoutes(router);
  addV2MetaRoutes(router);

  return {
    authenticate(headers: IncomingHttpHeaders, segments, method) {
      const version = versionOf(segments);
      // Every API request passes here exactly once, whatever its outcome: the place to count calls.
      requests.record(method, segments);
      const key = credentialOf(headers.authorization, version === 'v2');
      if (key !== undefined && apiKeys.has(key)) return key;
      const { message, challenge } = UNAUTHORIZED[version];
      return errorFor(version, 401, message, undefined, { 'WWW-Authenticate': challenge });
    },
    isWrite: (method) => method !== 'GET' && method !== 'HEAD',
    admit(principal, _write, segments) {
      const admission = limiter.admit(principal, !(segments[0] !== 'v2' && QUOTA_FREE_PATHS.has(segments[0] ?? '')));
      if (admission.ok) return { headers: admission.headers };
      return {
        headers: admission.headers,
        reply: errorFor(versionOf(segments), 429, 'Rate limit exceeded', undefined, { 'Retry-After': admission.retryAfter ?? 60 }),
      };
    },
    injectedReply(status, retryAfterSec, segments) {
      const version = versionOf(segments);
      if (status === 429) return errorFor(version, 429, 'Rate limit exceeded', undefined, { 'Retry-After': Math.max(1, retryAfterSec) });
      return errorFor(version, status, status === 503 ? 'Service unavailable' : 'Internal server error');
    },
    handle(request) {
      const version = versionOf(request.segments);
      const match = router.match(request.method, request.segments);
      if (match.kind === 'not_found') return errorFor(version, 404, `No route for ${request.method} /${request.segments.join('/')}`);
      if (match.kind === 'method_not_allowed') return errorFor(version, 405, `${request.method} is not allowed here`);
      const missing = version === 'v2' ? missingPermission(request.segments, deps.deniedPermissions?.[request.principal]) : undefined;
      if (missing) return errorFor(version, 403, `Forbidden: this endpoint requires the "${missing}" permission`);
      try {
        return match.handler({
          account,
          params: match.params,
          query: request.query,
          path: `/${request.segments.join('/')}`,
          principal: request.principal,
          limiter,
          baseUrl: `http://${request.headers.host ?? '127.0.0.1'}`,
        });
      } catch (error) {
        if (error instanceof AffinityApiError) return errorFor(version, error.status, error.message, error.param);
        throw error;
      }
    },
    mapError(error): JsonReply {
      if (error instanceof AffinityApiError) return errorFor('v1', error.status, error.message, error.param);
      if (error instanceof BodyTooLargeError) return errorFor('v1', 413, error.message);
      if (error instanceof InvalidJsonError) return errorFor('v1', 400, error.message);
      throw error;
    },
  };
}
