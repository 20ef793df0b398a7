import type { ControlRoute } from '../core/control.ts';
import { reply } from '../core/respond.ts';
import { createRouter, type Router } from '../core/router.ts';
import type { Stats } from '../core/stats.ts';
import type { ProcessStreetOrganization } from './generator/index.ts';
import type { ProcessStreetRateLimiter } from './rate-limit.ts';
import type { RequestCounter } from './request-counts.ts';

/** Process Street-only sandbox endpoints: what the organisation holds, the calls received, a reset. */
export function createProcessStreetControlRoutes(deps: { org: ProcessStreetOrganization; limiter: ProcessStreetRateLimiter; stats: Stats; requests: RequestCounter }): Router<ControlRoute> {
  const { org, limiter, stats, requests } = deps;
  return createRouter<ControlRoute>()
    // Counts; with ?ids=true every id per kind (the end-to-end "each source object exactly once" check).
    .add('GET', '/organization', ({ query }) =>
      reply(200, query.get('ids') === 'true' ? org.inspect() : { seed: org.seed, size: org.size, counts: org.counts }))
    // API calls by endpoint and status since the last stats reset.
    .add('GET', '/requests', () => reply(200, requests.snapshot()))
    .add('POST', '/reset', () => {
      limiter.reset();
      stats.reset();
      return reply(200, { reset: true });
    });
}
