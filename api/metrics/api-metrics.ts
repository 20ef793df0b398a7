import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { Sql } from '../../shared/db/client.ts';
import type { AppEnv } from '../types.ts';
import { registerSqlCollectors } from './sql-collectors.ts';

/** What the API exports on `/metrics`; one per app, never a module-level singleton. */
export interface ApiMetrics {
  registry: Registry;
  /** Records one finished request (route = the matched template, e.g. `/v1/jobs/:jobId`). */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
}

export interface ApiMetricsOptions {
  /** Pool as the application role; scrape-time gauges read through the (unaudited) admin scope. */
  sql: Sql;
  /** Process metrics (CPU, memory, event loop, GC); off in tests that build many apps. */
  defaultMetrics?: boolean;
}

/** Builds the API's registry: request histogram, 5xx counter, and gauges/counters computed from SQL at scrape time. */
export function createApiMetrics(options: ApiMetricsOptions): ApiMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'freight_api_' });
  const duration = new Histogram({
    name: 'freight_api_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors5xx = new Counter({
    name: 'freight_api_errors_5xx_total',
    help: 'HTTP responses with a 5xx status, by method and route template',
    labelNames: ['method', 'route'] as const,
    registers: [registry],
  });
  registerSqlCollectors(registry, options.sql);
  return {
    registry,
    observeRequest(method, route, status, seconds) {
      duration.observe({ method, route, status: String(status) }, seconds);
      if (status >= 500) errors5xx.inc({ method, route });
    },
  };
}

/**
 * The route template of the request: the last matched route that is not a catch-all middleware.
 * Unmatched paths collapse into one label value so scanners cannot blow up the label cardinality.
 */
export function routeTemplateOf(routes: ReadonlyArray<{ method: string; path: string }>): string {
  for (let i = routes.length - 1; i >= 0; i -= 1) {
    const r = routes[i];
    if (r && r.method !== 'ALL' && !r.path.includes('*')) return r.path;
  }
  return 'unmatched';
}

/** Times every request and feeds `ApiMetrics`; mounted first so it also sees errors mapped by onError. */
export function requestMetrics(metrics: ApiMetrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const route = routeTemplateOf(matchedRoutes(c));
      metrics.observeRequest(c.req.method, route, c.res.status, (performance.now() - started) / 1000);
    }
  };
}
