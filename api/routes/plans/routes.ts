import { createRoute } from '@hono/zod-openapi';
import { secured } from '../../openapi.ts';
import { AUTHENTICATED_ERRORS, errorResponses, jsonBody, jsonResponse } from '../../schemas/common.ts';
import { CreateJobSchema } from '../../schemas/job.ts';
import { JobPlanSchema } from '../../schemas/plan.ts';

export const createPlanRoute = createRoute(secured(['engineer'], {
  method: 'post',
  path: '/',
  tags: ['Jobs'],
  summary: 'Plan a job before creating it',
  description:
    'The body of `POST /v1/jobs`, validated the same way (422 `not_in_pair` for an object kind its pair lacks, 422 for a bad ' +
    'mapping override, 404 for a connection the tenant does not have). Answers the plan a job of this request would be created ' +
    'with — made by the same code: both connections checked, the source counted (records per object kind), the calls per ' +
    'endpoint on both sides, whether the source\'s monthly quota covers them (Affinity), the target\'s write budget shared with ' +
    'the tenant\'s pending and running jobs aimed at the same workspace, an ETA under the real limits, and warnings. ' +
    'Nothing is saved and nothing is written to the target; counting spends a few source calls (`callPlan.countingCalls`). ' +
    'A failed check or a quota the job does not fit is a warning here (job creation refuses them). Audited as `job.plan`.',
  request: { body: jsonBody(CreateJobSchema, 'The job to plan, as it would be created') },
  responses: {
    200: jsonResponse(JobPlanSchema, 'The plan'),
    ...errorResponses(...AUTHENTICATED_ERRORS, 404, 413, 415, 422),
  },
}));
