import type { MiddlewareHandler } from 'hono';
import { ForbiddenError, UnauthorizedError } from '../../shared/errors.ts';
import type { Authenticator } from '../../shared/auth/authenticator.ts';
import type { AppEnv } from '../types.ts';
import type { TenantContextLookup } from './tenant-context.ts';

/**
 * Every /v1 request must present credentials. A tenant principal must also name a tenant that
 * exists (JWTs are minted elsewhere and may carry any uuid) and is not suspended.
 */
export function authenticate(options: { authenticator: Authenticator; tenantContext: TenantContextLookup }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = await options.authenticator(c.req.header('authorization'));
    if (principal.tenantId) {
      const tenant = await options.tenantContext(principal.tenantId);
      if (!tenant) throw new UnauthorizedError('Credentials name an unknown tenant');
      if (tenant.status === 'suspended') throw new ForbiddenError('Tenant is suspended');
      c.set('tenantRateLimit', tenant.rateLimitPerMinute);
    }
    c.set('principal', principal);
    await next();
  };
}
