import type { RouteHandler } from '@hono/zod-openapi';
import { workerSummary } from '../../../shared/ops/worker-liveness.ts';
import type { AppEnv } from '../../types.ts';
import { checkReadiness, type ReadinessDeps } from './checks.ts';
import type { healthRoute, readyRoute } from './routes.ts';

/** A hung database must not hang the probe: past the deadline the answer is "unknown" (null). */
async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), ms); });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

export function createHealthHandlers(deps: ReadinessDeps) {
  const health: RouteHandler<typeof healthRoute, AppEnv> = (c) => c.json({ status: 'ok' as const }, 200);

  const ready: RouteHandler<typeof readyRoute, AppEnv> = async (c) => {
    const [checks, workers] = await Promise.all([
      checkReadiness(deps),
      // Informational only: the API serves (and jobs queue in Temporal) while no worker runs.
      withTimeout(workerSummary(deps.sql), deps.timeoutMs ?? 2_000).catch(() => null),
    ]);
    const isReady = Object.values(checks).every((check) => check.status === 'up');
    c.header('Cache-Control', 'no-store');
    return isReady ? c.json({ status: 'ready' as const, checks, workers }, 200) : c.json({ status: 'not_ready' as const, checks, workers }, 503);
  };

  return { health, ready };
}
