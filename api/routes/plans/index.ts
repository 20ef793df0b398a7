import type { RouteHandler } from '@hono/zod-openapi';
import type { JobService } from '../../../shared/jobs/jobs.ts';
import { actorOf } from '../../actor.ts';
import { createRouter } from '../../openapi.ts';
import type { AppEnv } from '../../types.ts';
import { createPlanRoute } from './routes.ts';

/** `/v1/plans`: a job's plan before it is created (the same planner as job creation). */
export function createPlansRouter(deps: { jobs: Pick<JobService, 'plan'> }) {
  const create: RouteHandler<typeof createPlanRoute, AppEnv> = async (c) => c.json(await deps.jobs.plan(actorOf(c), c.req.valid('json')), 200);
  return createRouter().openapi(createPlanRoute, create);
}
