import { reply, type JsonReply } from '../../core/respond.ts';
import type { Router } from '../../core/router.ts';
import { readRawBody } from '../raw-http.ts';
import { LIFETIME } from '../tokens.ts';
import type { TallyfyRoute } from './context.ts';

/** OAuth errors follow RFC 6749 (`{error, message}`), not the API's `{error: true}` body. */
const oauthError = (status: number, error: string, message: string): JsonReply => reply(status, { error, message });

/**
 * POST /oauth/token, form-encoded only [DOC]: `password` (a member's email + the sandbox password),
 * `refresh_token`, and `client_credentials` (an app token for /applications/{org}/…). A wrong client is
 * 401 `{"error": "invalid_client"}` [DOC]; a wrong password 400 `invalid_grant` and an unknown grant type
 * 400 `unsupported_grant_type` (the OAuth2 server's usual answers, inferred).
 */
export function addOAuthRoutes(router: Router<TallyfyRoute>): void {
  router.add('POST', '/oauth/token', async (ctx) => {
    const contentType = (ctx.headers['content-type'] ?? '').toLowerCase();
    if (!contentType.startsWith('application/x-www-form-urlencoded')) {
      return oauthError(400, 'invalid_request', 'The token endpoint takes application/x-www-form-urlencoded bodies only.');
    }
    const form = new URLSearchParams((await readRawBody(ctx.headers, 64 * 1024)).toString('utf8'));
    const client = ctx.oauthClients.find((c) => c.clientId === form.get('client_id') && c.clientSecret === form.get('client_secret'));
    const grantType = form.get('grant_type');
    if (!client) return oauthError(401, 'invalid_client', 'Client authentication failed');
    switch (grantType) {
      case 'password': {
        const user = ctx.org.userByEmail(form.get('username') ?? '');
        if (!user || form.get('password') !== ctx.password) return oauthError(400, 'invalid_grant', 'The user credentials were incorrect.');
        return reply(200, ctx.tokens.issue({ kind: 'user', userId: user.id }, LIFETIME.password, true));
      }
      case 'refresh_token': {
        const answer = ctx.tokens.refresh(form.get('refresh_token') ?? '');
        return answer ? reply(200, answer) : oauthError(400, 'invalid_grant', 'The refresh token is invalid.');
      }
      case 'client_credentials':
        if (client.clientCredentials === false) return oauthError(401, 'invalid_client', 'Client authentication failed');
        return reply(200, ctx.tokens.issue({ kind: 'app' }, LIFETIME.app, false));
      default:
        return oauthError(400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server.');
    }
  });
}
