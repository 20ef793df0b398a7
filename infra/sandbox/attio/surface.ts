import type { IncomingHttpHeaders } from 'node:http';
import { BodyTooLargeError, InvalidJsonError } from '../core/body.ts';
import type { ApiSurface } from '../core/pipeline.ts';
import { reply, type JsonReply } from '../core/respond.ts';
import { createRouter } from '../core/router.ts';
import { AttioApiError, errorBody } from './errors.ts';
import { specError } from './spec-errors.ts';
import type { PoisonGuard } from './poison.ts';
import { sandboxQueryScore } from './query-score.ts';
import type { AttioRateLimiter } from './rate-limit.ts';
import type { AttioRequestCounter } from './request-counts.ts';
import type { AttioRoute } from './routes/context.ts';
import type { TokenRegistry } from './tokens.ts';
import { addListRoutes } from './routes/lists.ts';
import { addNoteRoutes } from './routes/notes.ts';
import { addRecordRoutes } from './routes/records.ts';
import { addSchemaRoutes } from './routes/schema.ts';
import { DEFAULT_TOKEN_SCOPE } from './values/render.ts';
import { createResolver } from './workspace/resolver.ts';
import type { Workspace } from './workspace/workspace.ts';

function errorReply(error: AttioApiError, headers?: Record<string, string>): JsonReply & { poison?: boolean } {
  return { ...reply(error.status, errorBody(error), headers), poison: error.poison };
}

/** Errors that are not the API's own (an over-large or broken body) in Attio's terms; anything else is a sandbox bug. */
function asAttioError(error: unknown): AttioApiError {
  if (error instanceof AttioApiError) return error;
  if (error instanceof BodyTooLargeError) return new AttioApiError(413, 'payload_too_large', error.message);
  if (error instanceof InvalidJsonError) return new AttioApiError(400, 'validation_type', `Body is not valid JSON: ${error.message}`);
  throw error;
}

export function createAttioSurface(deps: {
  ws: Workspace; tokens: TokenRegistry; limiter: AttioRateLimiter; poison: PoisonGuard;
  /** Scopes of tokens that do not have the default ones (space-separated, as GET /v2/self reports them). */
  scopes?: Readonly<Record<string, string>>;
  /** Requests served, by endpoint (GET /__sandbox/requests). */
  requests?: AttioRequestCounter;
}): ApiSurface {
  const { ws, tokens, limiter, poison } = deps;
  const router = createRouter<AttioRoute>();
  addSchemaRoutes(router);
  addRecordRoutes(router);
  addListRoutes(router);
  addNoteRoutes(router);
  const resolver = createResolver(ws);

  return {
    authenticate(headers: IncomingHttpHeaders) {
      const header = headers.authorization ?? '';
      const token = header.slice(0, 7).toLowerCase() === 'bearer ' ? header.slice(7).trim() : '';
      if (token !== '' && tokens.has(token)) return token;
      return errorReply(new AttioApiError(401, 'unauthorized', 'Missing or invalid bearer token'));
    },
    // Queries are POSTs but count as reads, as in Attio.
    isWrite: (method, segments) => method !== 'GET' && method !== 'HEAD' && segments[segments.length - 1] !== 'query',
    // Limits are the workspace's, whichever of its tokens calls (one server = one workspace).
    admit(principal, write) {
      const retryAfter = limiter.admit(ws.id, write);
      if (retryAfter === undefined) {
        if (write) tokens.noteWrite(principal);
        return {};
      }
      const kind = write ? 'write' : 'read';
      return { reply: errorReply(new AttioApiError(429, 'rate_limit_exceeded', `Rate limit exceeded: too many ${kind} requests for this workspace, retry after ${retryAfter}`), { 'Retry-After': retryAfter }) };
    },
    injectedReply(status, retryAfterSec) {
      if (status === 429) {
        const retryAfter = new Date((Math.floor(ws.now() / 1000) + Math.max(1, retryAfterSec)) * 1000).toUTCString();
        return errorReply(new AttioApiError(429, 'rate_limit_exceeded', 'Rate limit exceeded (injected by the sandbox)'), { 'Retry-After': retryAfter });
      }
      return errorReply(specError('', undefined, new AttioApiError(status, 'internal_server_error', `Injected ${status} from the sandbox`)));
    },
    async handle(request) {
      deps.requests?.record(request.method, request.segments);
      if (request.segments[0] !== 'v2') return errorReply(new AttioApiError(404, 'not_found', `No route for ${request.method} /${request.segments.join('/')}`));
      const match = router.match(request.method, request.segments);
      if (match.kind === 'not_found') return errorReply(new AttioApiError(404, 'not_found', `No route for ${request.method} /${request.segments.join('/')}`));
      if (match.kind === 'method_not_allowed') return errorReply(new AttioApiError(405, 'method_not_allowed', `${request.method} is not allowed here`));
      try {
        return await match.handler({
          ws,
          params: match.params,
          query: request.query,
          json: request.json,
          write: { ws, resolver, actor: ws.tokenActor(request.principal), at: new Date(ws.now()).toISOString() },
          poison,
          scope: deps.scopes?.[request.principal] ?? DEFAULT_TOKEN_SCOPE,
          admitQuery(body, rows) {
            const retryAfter = limiter.admitQuery(ws.id, sandboxQueryScore(body, rows));
            if (retryAfter === undefined) return undefined;
            return errorReply(new AttioApiError(429, 'rate_limit_exceeded', `Rate limit exceeded: the workspace's query score over the last 10 seconds is spent, retry after ${retryAfter}`), { 'Retry-After': retryAfter });
          },
        });
      } catch (error) {
        // The sandbox's reason stays in the message; status, type and code are what the spec shows for this operation.
        return errorReply(specError(request.method, match.pattern, asAttioError(error)));
      }
    },
    mapError(error) {
      return errorReply(specError('', undefined, asAttioError(error)));
    },
  };
}
