import type { MiddlewareHandler } from 'hono';
import { ForbiddenError, UnauthorizedError } from '../../shared/errors.ts';
import type { Role } from '../../shared/auth/principal.ts';
import type { AppEnv } from '../types.ts';

/** Rejects callers whose role is not listed. Tenant checks (404 for other tenants) come later, in the services. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw new UnauthorizedError();
    if (!roles.includes(principal.role)) {
      throw new ForbiddenError(`This operation needs role ${roles.join(' or ')}; you are ${principal.role}`);
    }
    await next();
  };
}
