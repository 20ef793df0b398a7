import { createRoute } from '@hono/zod-openapi';
import { secured } from '../../openapi.ts';
import { AUTHENTICATED_ERRORS, errorResponses, jsonResponse } from '../../schemas/common.ts';
import { StatsQuerySchema, TenantStatsSchema, UsageSchema } from '../../schemas/ops.ts';

export const statsRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/stats',
  tags: ['Operations'],
  summary: "Your tenant's throughput and health",
  description: 'Records per minute (over a window and over finished jobs), failure rate, retries per job, jobs by status; read from the record-log totals and the batches.',
  request: { query: StatsQuerySchema },
  responses: {
    200: jsonResponse(TenantStatsSchema, 'Statistics of the tenant'),
    ...errorResponses(...AUTHENTICATED_ERRORS),
  },
}));

export const usageRoute = createRoute(secured(['admin'], {
  method: 'get',
  path: '/admin/usage',
  tags: ['Operations'],
  summary: 'Usage of every tenant and worker liveness',
  description: 'The `/v1/stats` figures per tenant, plus every worker seen in the last day with `live` = heartbeat within 30 s. Audited (`admin.scope`).',
  request: { query: StatsQuerySchema },
  responses: {
    200: jsonResponse(UsageSchema, 'Usage per tenant and workers'),
    ...errorResponses(...AUTHENTICATED_ERRORS),
  },
}));
