import { createRoute, z } from '@hono/zod-openapi';
import { secured } from '../../openapi.ts';
import { AUTHENTICATED_ERRORS, errorResponses, jsonResponse } from '../../schemas/common.ts';
import { IdempotencyHeaders, JobSchema } from '../../schemas/job.ts';
import { JobParams } from './routes.ts';

export const UndoJobSchema = z.strictObject({
  dryRun: z.boolean().optional().openapi({ default: false, description: 'List what would be deleted, restored or in conflict; write nothing' }),
  force: z.boolean().optional().openapi({ default: false, description: 'Also restore or delete records changed in the target since the job wrote them' }),
}).openapi('UndoJobRequest');

export const undoJobRoute = createRoute(secured(['engineer'], {
  method: 'post',
  path: '/{jobId}/undo',
  tags: ['Jobs'],
  summary: 'Undo a finished job',
  description:
    'Creates an undo job (`kind: "undo"`, `undoOf`: this job) and starts its `undoJob` workflow in the tenant\'s namespace (id ' +
    '`job-<undoJobId>`). From the before-images every write keeps, it deletes the records the job created and restores the ' +
    'attribute values it overwrote, object kind by object kind in reverse dependency order (notes and list entries, then deals, ' +
    'people, companies), batched and rate-limited like a migration, with its own record log (`action`: `deleted`, `restored`, ' +
    '`absent` — gone already, `unchanged` — back already, `would_delete` / `would_restore` in a dry run), report and events; ' +
    'the `undo.finished` webhook event when it settles. A target record changed since the job wrote it is left alone and logged ' +
    '`skipped` with error kind `conflict` and both versions, unless `force` is true. Idempotent and resumable: a record deleted ' +
    'already (404) or already restored counts as done. 409 `job_not_finished` unless the job is completed, completed_with_errors, ' +
    'failed or cancelled; 422 `undo_not_supported` for a pair that keeps no before-images (Process Street → Tallyfy) or an undo job. ' +
    'Idempotency-Key as for job creation: a repeat answers 200 with the same undo job.',
  request: {
    params: JobParams,
    headers: IdempotencyHeaders,
    body: { required: false, content: { 'application/json': { schema: UndoJobSchema } } },
  },
  responses: {
    201: jsonResponse(JobSchema, 'The undo job; its workflow is started'),
    200: jsonResponse(JobSchema, 'Repeated request (same Idempotency-Key and body): the existing undo job'),
    ...errorResponses(...AUTHENTICATED_ERRORS, 404, 409, 413, 415, 422, 503),
  },
}));
