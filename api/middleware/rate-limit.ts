import type { MiddlewareHandler } from 'hono';
import { RateLimitedError } from '../../shared/errors.ts';
import type { AppEnv } from '../types.ts';
import type { RateLimiter } from './token-bucket.ts';

/**
 * Per-tenant limit (all keys and tokens of a tenant share one bucket), and per actor for admins,
 * who belong to no tenant. Runs after `authenticate`.
 */
export function rateLimit(limiter: RateLimiter): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (principal) {
      const key = principal.tenantId ? `tenant:${principal.tenantId}` : `actor:${principal.actorType}:${principal.actorId}`;
      const decision = limiter.take(key, c.get('tenantRateLimit'));
      if (!decision.allowed) throw new RateLimitedError(decision.retryAfterSeconds);
      c.header('RateLimit-Remaining', String(decision.remaining));
    }
    await next();
  };
}
