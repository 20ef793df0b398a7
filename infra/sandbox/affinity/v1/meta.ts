import { reply } from '../../core/respond.ts';
import type { Router } from '../../core/router.ts';
import type { AffinityRoute } from '../context.ts';
import { KEY_CREATED_AT, TENANT } from '../v2/routes/meta.ts';

/** v1 paths exempt from the monthly quota (docs: "/rate-limit and /auth/whoami endpoints are exempt"); they still count per minute. */
export const QUOTA_FREE_PATHS = new Set(['rate-limit', 'auth']);

/** GET /rate-limit and GET /auth/whoami, in the v1 docs' shapes (whoami: `email`, `scope`, `api_key`). */
export function addMetaRoutes(router: Router<AffinityRoute>): void {
  router.add('GET', '/rate-limit', ({ limiter, principal }) => reply(200, { rate: limiter.status(principal) }));
  router.add('GET', '/auth/whoami', ({ account }) => {
    const owner = account.counts.persons > 0 ? account.person(0) : undefined;
    return reply(200, {
      tenant: TENANT,
      user: { id: owner?.id ?? 1, firstName: owner?.first_name ?? 'Sandbox', lastName: owner?.last_name ?? '', email: owner?.primary_email ?? 'owner@freight-sandbox.test' },
      grant: { type: 'api_key', scope: 'external_api', createdAt: KEY_CREATED_AT },
    });
  });
}
