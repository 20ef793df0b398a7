import type { RouteHandler } from '@hono/zod-openapi';
import type { StatsService } from '../../../shared/ops/stats.ts';
import { actorOf } from '../../actor.ts';
import { createRouter } from '../../openapi.ts';
import type { AppEnv } from '../../types.ts';
import { statsRoute, usageRoute } from './routes.ts';

/** `/v1/stats` (own tenant) and `/v1/admin/usage` (every tenant + workers). */
export function createOpsRouter(deps: { stats: StatsService }) {
  const stats: RouteHandler<typeof statsRoute, AppEnv> = async (c) =>
    c.json(await deps.stats.forTenant(actorOf(c), c.req.valid('query').windowMinutes), 200);
  const usage: RouteHandler<typeof usageRoute, AppEnv> = async (c) =>
    c.json(await deps.stats.usage(actorOf(c), c.req.valid('query').windowMinutes), 200);
  return createRouter().openapi(statsRoute, stats).openapi(usageRoute, usage);
}
