import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { BodyTooLargeError, InvalidJsonError } from '../core/body.ts';
import type { ApiSurface } from '../core/pipeline.ts';
import { reply, type Headers, type JsonReply } from '../core/respond.ts';
import { createRouter } from '../core/router.ts';
import { endpointNotFound, errorBody, forbidden, resourceNotFound, TallyfyError, unauthenticated } from './errors.ts';
import type { Organization } from './organization.ts';
import type { CapKind, TallyfyRateLimiter } from './rate-limit.ts';
import type { RequestCounter } from './request-counts.ts';
import { addBlueprintRoutes } from './routes/blueprints.ts';
import { addCollabRoutes } from './routes/collab.ts';
import { objectBody, type TallyfyRoute } from './routes/context.ts';
import { addOAuthRoutes } from './routes/oauth.ts';
import { addPeopleRoutes } from './routes/people.ts';
import { addRunRoutes } from './routes/runs.ts';
import { addTaskRoutes } from './routes/tasks.ts';
import type { OAuthClient, TokenStore } from './tokens.ts';

export interface SurfaceDeps {
  org: Organization;
  tokens: TokenStore;
  limiter: TallyfyRateLimiter;
  counts: RequestCounter;
  oauthClients: readonly OAuthClient[];
  password: string;
  fileLimitBytes: number;
  /** The server's root URL, known once it listens (pagination links). */
  baseUrl(): string;
}

const ANONYMOUS = 'anonymous';
/** Both bases serve one API: `https://api.tallyfy.com/…` and `https://go.tallyfy.com/api/…`. */
const pathOf = (segments: readonly string[]) => (segments[0] === 'api' ? segments.slice(1) : segments);
const isTokenEndpoint = (path: readonly string[]) => path.length === 2 && path[0] === 'oauth' && path[1] === 'token';

function capOf(write: boolean, path: readonly string[]): CapKind | undefined {
  if (!write) return undefined;
  const last = path[path.length - 1];
  if (last === 'comment' && path[path.length - 3] === 'tasks') return 'comments';
  if (last === 'invite' && path[path.length - 2] === 'users') return 'invites';
  return undefined;
}

export function createTallyfySurface(deps: SurfaceDeps): ApiSurface {
  const { org, tokens, limiter, counts } = deps;
  const router = createRouter<TallyfyRoute>();
  addOAuthRoutes(router);
  addPeopleRoutes(router);
  addBlueprintRoutes(router);
  addRunRoutes(router);
  addTaskRoutes(router);
  addCollabRoutes(router);

  // Every answer carries an X-Request-Id, and its status is counted against its endpoint.
  const answer = (segments: readonly string[], result: JsonReply, headers?: Headers): JsonReply => {
    counts.status(segments, result.status);
    return { ...result, headers: { ...headers, ...result.headers, 'X-Request-Id': randomUUID() } };
  };
  const fail = (segments: readonly string[], error: TallyfyError, headers?: Headers) => answer(segments, reply(error.status, errorBody(error)), headers);

  return {
    authenticate(headers: IncomingHttpHeaders, segments, method) {
      counts.begin(method, segments);
      if (isTokenEndpoint(pathOf(segments))) return ANONYMOUS;
      // Without X-Tallyfy-Client the API does not treat the call as an API client: 401 [DOC].
      if (headers['x-tallyfy-client'] !== 'APIClient') return fail(segments, unauthenticated('Unauthenticated. The X-Tallyfy-Client: APIClient header is required.'));
      const header = headers.authorization ?? '';
      const token = header.slice(0, 7).toLowerCase() === 'bearer ' ? header.slice(7).trim() : '';
      if (token === '' || !tokens.resolve(token)) return fail(segments, unauthenticated());
      return token;
    },
    isWrite: (method) => method !== 'GET' && method !== 'HEAD',
    admit(principal, write, segments) {
      const admission = limiter.admit(principal, capOf(write, pathOf(segments)));
      const headers: Headers = limiter.limits().perMinute > 0 ? { 'X-RateLimit-Limit': limiter.limits().perMinute, 'X-RateLimit-Remaining': admission.remaining } : {};
      if (admission.ok) return { headers };
      return { reply: answer(segments, reply(429, { message: admission.message, code: 'RATE_LIMIT_EXCEEDED' }), { ...headers, 'Retry-After': admission.retryAfter }) };
    },
    injectedReply(status, retryAfterSec, segments) {
      if (status === 429) return answer(segments, reply(429, { message: 'Too many requests (injected by the sandbox).', code: 'RATE_LIMIT_EXCEEDED' }), { 'Retry-After': Math.max(1, retryAfterSec) });
      return fail(segments, new TallyfyError(status, `Injected ${status} from the sandbox.`));
    },
    async handle(request) {
      const { segments, method } = request;
      const path = pathOf(segments);
      const match = router.match(method, path);
      if (match.kind !== 'found') return fail(segments, endpointNotFound(method, `/${segments.join('/')}`));
      try {
        if (match.params.org !== undefined && match.params.org !== org.id) throw resourceNotFound('Organization');
        const grant = isTokenEndpoint(path) ? undefined : tokens.resolve(request.principal);
        const appRoute = path[0] === 'applications';
        // App tokens serve only /applications/{org}/…, member tokens everything else (inferred).
        if (grant && (grant.kind === 'app') !== appRoute) throw forbidden(appRoute ? 'This endpoint needs an application token.' : 'An application token cannot call this endpoint.');
        const query = request.query.toString();
        const result = await match.handler({
          org, params: match.params, query: request.query, headers: request.headers,
          body: () => objectBody(request.json),
          actor: grant?.userId === undefined ? undefined : org.users.get(grant.userId),
          selfUrl: `${deps.baseUrl()}/${segments.map(encodeURIComponent).join('/')}${query ? `?${query}` : ''}`,
          tokens, oauthClients: deps.oauthClients, password: deps.password, fileLimitBytes: deps.fileLimitBytes,
        });
        return answer(segments, result);
      } catch (error) {
        return fail(segments, asTallyfyError(error));
      }
    },
    mapError(error) {
      const known = error instanceof TallyfyError || error instanceof BodyTooLargeError || error instanceof InvalidJsonError;
      const mapped = known ? asTallyfyError(error) : new TallyfyError(500, 'Server Error');
      return reply(mapped.status, errorBody(mapped), { 'X-Request-Id': randomUUID() });
    },
  };
}

function asTallyfyError(error: unknown): TallyfyError {
  if (error instanceof TallyfyError) return error;
  if (error instanceof BodyTooLargeError) return new TallyfyError(413, error.message);
  if (error instanceof InvalidJsonError) return new TallyfyError(400, `The body is not valid JSON: ${error.message}`);
  throw error;
}
