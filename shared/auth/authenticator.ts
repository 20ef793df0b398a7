import type { Config } from '../config.ts';
import type { Sql } from '../db/client.ts';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { apiKeyMatches, parseApiKey, secretEquals } from './api-key.ts';
import { createJwtVerifier, type JwtVerifier } from './jwt.ts';
import { isRole, type Principal } from './principal.ts';
import { createTouchThrottle } from './touch-throttle.ts';

export interface AuthenticatorOptions {
  auth: Config['auth'];
  /** App-role pool; keys are found through the definer function `freight.find_api_key`. */
  sql: Sql;
  logger: Logger;
  /** At most one `last_used_at` write per key per interval (default one minute). */
  touchIntervalMs?: number;
  now?: () => number;
}

/** Resolves the credentials of an `Authorization` header to a Principal, or throws 401/403. */
export type Authenticator = (authorization: string | undefined) => Promise<Principal>;

interface KeyRow {
  id: string;
  tenant_id: string | null;
  role: string;
  secret_hash: Uint8Array;
  revoked_at: Date | null;
  last_used_at: Date | null;
  tenant_status: string | null;
}

/** A hash no key has: compared against when a prefix is unknown, so both paths do the same work. */
const NO_SUCH_KEY_HASH = new Uint8Array(32);

/**
 * Three kinds of bearer credentials: the bootstrap admin key from the environment, Freight API
 * keys (`frt_live_…`/`frt_test_…`), and JWTs (HS256 secret or an IdP's JWKS).
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { auth, sql, logger } = options;
  const shouldTouch = createTouchThrottle({ intervalMs: options.touchIntervalMs ?? 60_000, now: options.now });
  const verifyJwt: JwtVerifier | undefined = auth.jwtSecret || auth.jwksUrl
    ? createJwtVerifier({ secret: auth.jwtSecret, jwksUrl: auth.jwksUrl, issuer: auth.jwtIssuer, audience: auth.jwtAudience })
    : undefined;

  async function viaApiKey(token: string): Promise<Principal | undefined> {
    const parsed = parseApiKey(token);
    if (!parsed) return undefined;
    const [row] = await sql<KeyRow[]>`select * from freight.find_api_key(${parsed.prefix})`;
    const matches = apiKeyMatches(token, row?.secret_hash ?? NO_SUCH_KEY_HASH);
    if (!row || !matches) throw new UnauthorizedError('Invalid API key');
    if (row.revoked_at) throw new UnauthorizedError('API key has been revoked');
    if (!isRole(row.role)) throw new UnauthorizedError('Invalid API key');
    if (row.tenant_status === 'suspended') throw new ForbiddenError('Tenant is suspended');
    if (shouldTouch(row.id, row.last_used_at)) {
      // Bookkeeping must never fail or slow the request it belongs to.
      sql`select freight.touch_api_key(${row.id})`.catch((err: unknown) => {
        logger.warn({ err, keyId: row.id }, 'could not record API key use');
      });
    }
    return { actorType: 'api_key', actorId: row.id, role: row.role, tenantId: row.tenant_id };
  }

  return async (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const token = match?.[1];
    if (!token) throw new UnauthorizedError('Send credentials as "Authorization: Bearer <API key or JWT>"');
    if (auth.adminApiKey && secretEquals(token, auth.adminApiKey)) {
      return { actorType: 'admin_env', actorId: 'bootstrap-admin-key', role: 'admin', tenantId: null };
    }
    const fromKey = await viaApiKey(token);
    if (fromKey) return fromKey;
    if (token.startsWith('frt_')) throw new UnauthorizedError('Malformed API key');
    if (token.split('.').length === 3 && verifyJwt) return verifyJwt(token);
    throw new UnauthorizedError('Unrecognised credentials');
  };
}
