import { createRoute, z } from '@hono/zod-openapi';
import { secured } from '../../openapi.ts';
import { AUTHENTICATED_ERRORS, errorResponses, jsonResponse } from '../../schemas/common.ts';
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
