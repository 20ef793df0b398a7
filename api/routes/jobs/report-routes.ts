import { createRoute, z } from '@hono/zod-openapi';
import { secured } from '../../openapi.ts';
import { AUTHENTICATED_ERRORS, errorResponses, jsonResponse } from '../../schemas/common.ts';
import { DiffCsvQuery, DiffPageSchema, DiffQuery } from '../../schemas/diff.ts';
import { ArtifactListSchema, JobReportSchema } from '../../schemas/report.ts';
import { JobParams } from './routes.ts';

const csvResponse = (description: string) => ({
  description,
  headers: { 'Content-Disposition': { schema: { type: 'string' as const }, description: 'attachment; filename="job-<id>-….csv"' } },
  content: { 'text/csv': { schema: z.string() } },
});

const CSV_NOTE = 'Text cells starting with = + - @ (or tab/CR) are prefixed with a single quote against formula injection.';

export const getReportRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/{jobId}/report',
  tags: ['Reports'],
  summary: "A job's report",
  description: 'Counts per object and status, duration, throughput, retries, failures by error kind, object and batch, top error messages. Computed live.',
  request: { params: JobParams },
  responses: { 200: jsonResponse(JobReportSchema, 'The report'), ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
}));

export const getReportCsvRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/{jobId}/report.csv',
  tags: ['Reports'],
  summary: "A job's report as CSV",
  description: `The report in long format: section, key, metric, value, message. ${CSV_NOTE}`,
  request: { params: JobParams },
  responses: { 200: csvResponse('The report as CSV'), ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
}));

export const getRecordsCsvRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/{jobId}/records.csv',
  tags: ['Reports'],
  summary: "A job's record log as CSV",
  description: `Every record-log row ordered by (object, source id), streamed from a database cursor in constant memory. ${CSV_NOTE}`,
  request: { params: JobParams },
  responses: { 200: csvResponse('The record log as CSV'), ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
}));

export const listArtifactsRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/{jobId}/artifacts',
  tags: ['Reports'],
  summary: "A job's stored files",
  description: 'Batch archives and the report (JSON, CSV) in S3, with short-lived presigned download URLs (FREIGHT_ARTIFACT_URL_TTL_SECONDS).',
  request: { params: JobParams },
  responses: { 200: jsonResponse(ArtifactListSchema, 'The artifacts'), ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
}));

export const getDiffRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/{jobId}/diff',
  tags: ['Reports'],
  summary: "A dry-run job's diff",
  description:
    'What a real run would do to each record, found by reading the target only: create, update (with each field that would change, ' +
    'old → new), unchanged, conflict (several target records match, or a unique value belongs to another record), refused (the target ' +
    'would refuse the values), skipped. Counts per class, then the records ordered by (object, source id), keyset-paginated. ' +
    'Pairs without a preview (Process Street → Tallyfy) keep the plain dry run: no classes.',
  request: { params: JobParams, query: DiffQuery },
  responses: { 200: jsonResponse(DiffPageSchema, 'Counts and a page of classified records'), ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
}));

export const getDiffCsvRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/{jobId}/diff.csv',
  tags: ['Reports'],
  summary: "A dry-run job's diff as CSV",
  description: `Every classified record (filters: class, object), one line per changed field of an update (old and new as JSON), streamed from a database cursor. ${CSV_NOTE}`,
  request: { params: JobParams, query: DiffCsvQuery },
  responses: { 200: csvResponse('The diff as CSV'), ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
}));
