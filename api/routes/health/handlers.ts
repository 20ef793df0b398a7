import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../types.ts';
import { checkReadiness, type ReadinessDeps } from './checks.ts';
import type { healthRoute, readyRoute } from './routes.ts';

export function createHealthHandlers(deps: ReadinessDeps) {
  const health: RouteHandler<typeof healthRoute, AppEnv> = (c) => c.json({ status: 'ok' as const }, 200);

  const ready: RouteHandler<typeof readyRoute, AppEnv> = async (c) => {
    const checks = await checkReadiness(deps);
    const isReady = Object.values(checks).every((check) => check.status === 'up');
    c.header('Cache-Control', 'no-store');
    return isReady ? c.json({ status: 'ready' as const, checks }, 200) : c.json({ status: 'not_ready' as const, checks }, 503);
  };

  return { health, ready };
}
