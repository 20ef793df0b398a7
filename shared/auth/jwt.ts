import { createRemoteJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { UnauthorizedError } from '../errors.ts';
import { isRole, type Principal } from './principal.ts';

/** Algorithms accepted from an external IdP's key set. Symmetric ones never: the JWKS is public. */
export const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface JwtVerifierOptions {
  /** HS256 shared secret (≥ 32 characters). */
  secret?: string | undefined;
  /** Key set URL of an external identity provider (asymmetric algorithms only). */
  jwksUrl?: string | undefined;
  issuer?: string | undefined;
  audience: string;
  /** Accepted clock skew, seconds. */
  clockToleranceSeconds?: number;
}

export type JwtVerifier = (token: string) => Promise<Principal>;

/**
 * Verifies a bearer JWT and turns its claims into a Principal. Which key is used follows the
 * token's `alg` header, but each key only accepts its own algorithm family: an HS256 token is never
 * checked against the public JWKS (the classic key-confusion attack), and `alg: none` never passes.
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const secret = options.secret ? new TextEncoder().encode(options.secret) : undefined;
  const jwks: JWTVerifyGetKey | undefined = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : undefined;
  const common = {
    audience: options.audience,
    ...(options.issuer ? { issuer: options.issuer } : {}),
    clockTolerance: options.clockToleranceSeconds ?? 5,
    requiredClaims: ['exp', 'sub'],
  };

  return async (token) => {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new UnauthorizedError('Malformed bearer token');
    }
    let payload: JWTPayload;
    try {
      if (alg === 'HS256' && secret) {
        ({ payload } = await jwtVerify(token, secret, { ...common, algorithms: ['HS256'] }));
      } else if (alg && JWKS_ALGORITHMS.includes(alg) && jwks) {
        ({ payload } = await jwtVerify(token, jwks, { ...common, algorithms: JWKS_ALGORITHMS }));
      } else {
        throw new UnauthorizedError('Token algorithm not accepted');
      }
    } catch (err) {
      if (err instanceof UnauthorizedError) throw err;
      throw new UnauthorizedError(describeJoseError(err));
    }
    return principalFromClaims(payload);
  };
}

function describeJoseError(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'Token expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `Token claim rejected: ${err.claim}`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'Token signature invalid';
  if (err instanceof joseErrors.JOSEError) return 'Token rejected';
  // Key set unreachable and the like: still a failed authentication from the caller's side.
  return 'Token could not be verified';
}

/** Claims: `sub` (actor), `role`, and `tenant_id` unless the role is admin. */
export function principalFromClaims(payload: JWTPayload): Principal {
  const { sub, role } = payload;
  const tenantId = payload['tenant_id'];
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200) throw new UnauthorizedError('Token has no usable sub claim');
  if (!isRole(role)) throw new UnauthorizedError('Token role claim must be admin, engineer or viewer');
  if (role === 'admin') return { actorType: 'jwt', actorId: sub, role, tenantId: null };
  if (typeof tenantId !== 'string' || !UUID.test(tenantId)) throw new UnauthorizedError('Token tenant_id claim must be a tenant uuid');
  return { actorType: 'jwt', actorId: sub, role, tenantId: tenantId.toLowerCase() };
}
