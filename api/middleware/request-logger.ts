import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../shared/logger.ts';
import type { AppEnv } from '../types.ts';

/**
 * One line per request: method, path (never the query string or headers, which can carry
 * credentials), status, duration, request id and who called.
 */
export function requestLogger(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const log = logger.child({ requestId: c.get('requestId') });
    c.set('log', log);
    await next();
    const principal = c.get('principal');
    const status = c.res.status;
    const line = {
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      tenantId: principal?.tenantId ?? undefined,
      actorType: principal?.actorType,
      actorId: principal?.actorId,
    };
    if (status >= 500) log.error(line, 'request failed');
    else log.info(line, 'request');
  };
}
