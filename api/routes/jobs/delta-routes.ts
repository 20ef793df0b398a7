import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { JobService } from '../../../shared/jobs/jobs.ts';
import { actorOf } from '../../actor.ts';
import { secured } from '../../openapi.ts';
import { AUTHENTICATED_ERRORS, errorResponses, jsonResponse } from '../../schemas/common.ts';
import { DeltaSummarySchema } from '../../schemas/delta.ts';
import type { AppEnv } from '../../types.ts';
import { JobParams } from './routes.ts';

export const getDeltaRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/{jobId}/delta',
  tags: ['Jobs'],
  summary: "A delta job's cutover summary",
  description: 'For a job created with mode: delta: when it finished, counts per class (new, changed, unchanged, deleted at the source, ' +
    'conflicts), the conflicts with both values, the records deleted at the source, and what is still pending. 409 `not_a_delta` for a full job. Computed live.',
  request: { params: JobParams },
  responses: { 200: jsonResponse(DeltaSummarySchema, 'The summary'), ...errorResponses(...AUTHENTICATED_ERRORS, 404, 409) },
}));

export function createDeltaHandler(deps: { jobs: JobService }): RouteHandler<typeof getDeltaRoute, AppEnv> {
  return async (c) => c.json(await deps.jobs.deltaSummary(actorOf(c), c.req.valid('param').jobId), 200);
}
