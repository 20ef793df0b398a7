import { createRoute } from '@hono/zod-openapi';
import { secured } from '../../openapi.ts';
import { AUTHENTICATED_ERRORS, errorResponses, jsonResponse } from '../../schemas/common.ts';
import { BatchListQuery, BatchPageSchema, RecordListQuery, RecordPageSchema } from '../../schemas/job-control.ts';
import { JobParams } from './routes.ts';

export const listBatchesRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/{jobId}/batches',
  tags: ['Jobs'],
  summary: "List a job's batches",
  description: 'In extraction order, keyset-paginated: attempts, timings, counts and outcome of each batch.',
  request: { params: JobParams, query: BatchListQuery },
  responses: {
    200: jsonResponse(BatchPageSchema, 'A page of batches'),
    ...errorResponses(...AUTHENTICATED_ERRORS, 404),
  },
}));

export const listRecordsRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/{jobId}/records',
  tags: ['Jobs'],
  summary: "A job's record log",
  description:
    'One row per source record: target id, status, error kind and message, attempts, timestamps. Ordered by ' +
    '(object, source id), keyset-paginated. `status=failed` is the dead-letter view.',
  request: { params: JobParams, query: RecordListQuery },
  responses: {
    200: jsonResponse(RecordPageSchema, 'A page of records'),
    ...errorResponses(...AUTHENTICATED_ERRORS, 404),
  },
}));
