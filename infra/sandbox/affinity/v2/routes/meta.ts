import { reply } from '../../../core/respond.ts';
import type { Router } from '../../../core/router.ts';
import type { AffinityRoute } from '../../context.ts';

/** The sandbox's one tenant and key owner (its first internal person), as both versions report them. */
export const TENANT = { id: 1, name: 'Freight Sandbox', subdomain: 'freight-sandbox' } as const;
export const KEY_CREATED_AT = '2024-01-01T00:00:00Z';

/** GET /v2/auth/whoami (spec schema WhoAmI: tenant, user, grant). */
export function addV2MetaRoutes(router: Router<AffinityRoute>): void {
  router.add('GET', '/v2/auth/whoami', ({ account }) => {
    const owner = account.counts.persons > 0 ? account.person(0) : undefined;
    return reply(200, {
      tenant: TENANT,
      user: { id: owner?.id ?? 1, firstName: owner?.first_name || 'Sandbox', lastName: owner?.last_name ?? null, emailAddress: owner?.primary_email ?? 'owner@freight-sandbox.test' },
      grant: { type: 'api-key', scopes: ['api'], createdAt: KEY_CREATED_AT },
    });
  });
}
