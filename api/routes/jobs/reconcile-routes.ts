import { createRoute, z } from '@hono/zod-openapi';
import { secured } from '../../openapi.ts';
import { AUTHENTICATED_ERRORS, errorResponses, jsonResponse } from '../../schemas/common.ts';
import { ReconciliationQuery, ReconciliationRunSchema, ReconciliationSchema } from '../../schemas/reconciliation.ts';
import { JobParams } from './routes.ts';

const ReconcileHeaders = z.object({
  'idempotency-key': z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces').optional()
    .openapi({ description: 'Idempotency-Key: a repeat with the same key answers the run it started (200) instead of starting another' }),
});

const COMPARES =
  "The job's source and target compared through the vendors' documented APIs only (Affinity → Attio: Affinity's API and " +
  "Attio's public API, paced by the same budgets as jobs): counts per object, missing records (with the record log's reason), " +
  'duplicates, field-level mismatches, wrong or missing links, dangling references.';

export const reconcileJobRoute = createRoute(secured(['engineer'], {
  method: 'post',
  path: '/{jobId}/reconcile',
  tags: ['Reports'],
  summary: 'Reconcile a finished job',
  description: `${COMPARES} Runs as a \`reconcileJob\` workflow in the tenant's namespace; a job runs one itself when it finishes. ` +
    '409 `conflict` while the job is still running or for a dry run; 503 when Temporal cannot start the workflow. A pair without ' +
    'a reconciliation (Process Street → Tallyfy) ends the run as `not_supported`.',
  request: { params: JobParams, headers: ReconcileHeaders },
  responses: {
    202: jsonResponse(ReconciliationRunSchema, 'Started (status pending)'),
    200: jsonResponse(ReconciliationRunSchema, 'Repeated request (same Idempotency-Key): the run it started'),
    ...errorResponses(...AUTHENTICATED_ERRORS, 404, 409, 503),
  },
}));

export const getReconciliationRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/{jobId}/reconciliation',
  tags: ['Reports'],
  summary: "A job's reconciliation",
  description: `${COMPARES} The newest run (or \`seq\`) with its report, read from S3, and the list of runs.`,
  request: { params: JobParams, query: ReconciliationQuery },
  responses: { 200: jsonResponse(ReconciliationSchema, 'Runs and the latest report'), ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
}));

export const getReconciliationCsvRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/{jobId}/reconciliation.csv',
  tags: ['Reports'],
  summary: "A job's reconciliation as CSV",
  description: 'One row per difference (kind, object, source_id, target_ids, field, expected, actual, reason) of the newest completed run ' +
    '(or `seq`), streamed from S3. Text cells starting with = + - @ (or tab/CR) are prefixed with a single quote. 404 before any run completed.',
  request: { params: JobParams, query: ReconciliationQuery },
  responses: {
    200: {
      description: 'The differences as CSV',
      headers: { 'Content-Disposition': { schema: { type: 'string' as const }, description: 'attachment; filename="job-<id>-reconciliation-<seq>.csv"' } },
      content: { 'text/csv': { schema: z.string() } },
    },
    ...errorResponses(...AUTHENTICATED_ERRORS, 404),
  },
}));
