import { reply } from '../../core/respond.ts';
import type { Router } from '../../core/router.ts';
import type { AffinityRoute } from './context.ts';

/** Paths that do not count against the monthly quota (they still count per minute). */
export const QUOTA_FREE_PATHS = new Set(['rate-limit', 'auth']);

/** GET /rate-limit and GET /auth/whoami. */
export function addMetaRoutes(router: Router<AffinityRoute>): void {
  router.add('GET', '/rate-limit', ({ limiter, principal }) => reply(200, { rate: limiter.status(principal) }));
  router.add('GET', '/auth/whoami', ({ principal }) =>
    reply(200, {
      tenant: { id: 1, name: 'Freight Sandbox', subdomain: 'freight-sandbox' },
      user: { id: 200000000, firstName: 'Sandbox', lastName: 'Owner', emailAddress: 'owner@freight-sandbox.test' },
      grant: { type: 'api-key', scopes: ['api'], createdAt: '2024-01-01T00:00:00.000Z', keyHint: principal.slice(-4) },
    }));
}
