import { z } from '@hono/zod-openapi';
import { UnauthorizedError } from '../../../shared/errors.ts';
import { metricsAccess } from '../../../shared/metrics-access.ts';
import type { ApiMetrics } from '../../metrics/api-metrics.ts';
import { createRouter } from '../../openapi.ts';

/**
 * `GET /metrics` in the Prometheus text format, behind the bearer token FREIGHT_METRICS_TOKEN when set.
 * With NODE_ENV=production and no token it answers 401 to everyone (closed by default) instead of
 * refusing to start: a deployment without a token still serves its API.
 */
export function createMetricsRouter(deps: { metrics: ApiMetrics; token?: string | undefined; production?: boolean }) {
  const access = metricsAccess({ token: deps.token, production: deps.production ?? false });
  const router = createRouter();
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: '/metrics',
    tags: ['Operations'],
    summary: 'Prometheus metrics',
    description:
      'Prometheus text format: API latency histogram and 5xx count, jobs and batches in flight, records processed by tenant id/object/status ' +
      '(from the record log), live workers, process metrics. Needs `Authorization: Bearer <FREIGHT_METRICS_TOKEN>` when the token is set; ' +
      'with NODE_ENV=production and no token it answers 401 to every caller. Public only outside production without a token.',
    responses: {
      200: { description: 'Metrics', content: { 'text/plain': { schema: z.string() } } },
      401: { description: 'The bearer token is missing or wrong, or the server runs in production without FREIGHT_METRICS_TOKEN' },
    },
  });
  router.get('/metrics', async (c) => {
    const verdict = access(c.req.header('authorization'));
    if (verdict !== 'ok') throw new UnauthorizedError(verdict);
    const body = await deps.metrics.registry.metrics();
    c.header('Cache-Control', 'no-store');
    return c.body(body, 200, { 'Content-Type': deps.metrics.registry.contentType });
  });
  return router;
}
