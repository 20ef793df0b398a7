import { timingSafeEqual } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import { UnauthorizedError } from '../../../shared/errors.ts';
import type { ApiMetrics } from '../../metrics/api-metrics.ts';
import { createRouter } from '../../openapi.ts';

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `GET /metrics` in the Prometheus text format. Public unless `FREIGHT_METRICS_TOKEN` is set, in
 * which case the scraper sends it as a bearer token (labels carry tenant slugs: set it in production).
 */
export function createMetricsRouter(deps: { metrics: ApiMetrics; token?: string | undefined }) {
  const router = createRouter();
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: '/metrics',
    tags: ['Operations'],
    summary: 'Prometheus metrics',
    description:
      'Prometheus text format: API latency histogram and 5xx count, jobs and batches in flight, records processed by tenant/object/status ' +
      '(from the record log), live workers, process metrics. Public unless FREIGHT_METRICS_TOKEN is set (then `Authorization: Bearer <token>`).',
    responses: {
      200: { description: 'Metrics', content: { 'text/plain': { schema: z.string() } } },
      401: { description: 'FREIGHT_METRICS_TOKEN is set and the bearer token is missing or wrong' },
    },
  });
  router.get('/metrics', async (c) => {
    if (deps.token) {
      const header = c.req.header('authorization') ?? '';
      const given = header.startsWith('Bearer ') ? header.slice(7) : '';
      if (!sameToken(given, deps.token)) throw new UnauthorizedError('Metrics need the bearer token FREIGHT_METRICS_TOKEN');
    }
    const body = await deps.metrics.registry.metrics();
    c.header('Cache-Control', 'no-store');
    return c.body(body, 200, { 'Content-Type': deps.metrics.registry.contentType });
  });
  return router;
}
