import { createRoute, z } from '@hono/zod-openapi';
import { secured } from '../../openapi.ts';
import { AUTHENTICATED_ERRORS, errorResponses, jsonBody, jsonResponse, UuidParam } from '../../schemas/common.ts';
import { CreateJobSchema, IdempotencyHeaders, JobDetailSchema, JobGetQuery, JobListQuery, JobPageSchema, JobSchema } from '../../schemas/job.ts';

export const JobParams = z.object({ jobId: UuidParam('jobId', 'Job id') });

export const createJobRoute = createRoute(secured(['engineer'], {
  method: 'post',
  path: '/',
  tags: ['Jobs'],
  summary: 'Create a migration job',
  description:
    "Saves the job (`pending`) and starts its workflow in the tenant's Temporal namespace (id `job-<jobId>`). " +
    'With an `Idempotency-Key`, repeating the same request answers 200 with the existing job (and starts its workflow ' +
    'if an earlier attempt could not); the same key with a different body answers 409. If Temporal is unavailable the ' +
    'answer is 503 with `details.jobId`, and the job stays `pending` with `error` set until the request is repeated. ' +
    'Before saving, the source account is counted and the job\'s source API calls are planned against the monthly quota left ' +
    '(`callPlan`, also in the job detail); a job that cannot fit answers 422 `quota_insufficient` unless `proceedOverQuota` is true. ' +
    'First both connections are checked as `POST /v1/connections/{id}/test` does, for the objects the job moves: a check that ' +
    'fails (rejected credentials, a missing scope or permission, a disabled object) answers 422 `connection_check_failed` with ' +
    'the failed checks in `details.source` / `details.target`; a check that could not run (API unreachable, rate limited, timed out) ' +
    'or only warns (little quota left) does not refuse the job.',
  request: { headers: IdempotencyHeaders, body: jsonBody(CreateJobSchema, 'The job to create') },
  responses: {
    201: jsonResponse(JobSchema, 'Created; its workflow is started'),
    200: jsonResponse(JobSchema, 'Repeated request (same Idempotency-Key and body): the existing job'),
    ...errorResponses(...AUTHENTICATED_ERRORS, 404, 409, 413, 415, 422, 503),
  },
}));

export const listJobsRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/',
  tags: ['Jobs'],
  summary: 'List jobs',
  description: 'Newest first, keyset-paginated; pass `nextCursor` back as `cursor`.',
  request: { query: JobListQuery },
  responses: {
    200: jsonResponse(JobPageSchema, 'A page of jobs'),
    ...errorResponses(...AUTHENTICATED_ERRORS),
  },
}));

export const getJobRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/{jobId}',
  tags: ['Jobs'],
  summary: 'Get a job with counts and progress',
  description:
    'Counts per object and status from the record log, batches per status, progress (processed / estimated total), ' +
    "throughput and ETA since the job started; with `?live=true`, while it runs, also the workflow's own progress (`live`).",
  request: { params: JobParams, query: JobGetQuery },
  responses: {
    200: jsonResponse(JobDetailSchema, 'The job'),
    ...errorResponses(...AUTHENTICATED_ERRORS, 404),
  },
}));
