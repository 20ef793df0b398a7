import { z } from 'zod';
import type { ControlRoute } from '../core/control.ts';
import { reply } from '../core/respond.ts';
import { createRouter, type Router } from '../core/router.ts';
import type { Stats } from '../core/stats.ts';
import { inspectOrganization } from './inspect.ts';
import type { Organization } from './organization.ts';
import type { TallyfyRateLimiter } from './rate-limit.ts';
import { renderUser } from './render.ts';
import type { RequestCounter } from './request-counts.ts';
import type { TokenStore } from './tokens.ts';
import { ROLES } from './types.ts';

const MemberInput = z.object({
  email: z.string().email(),
  first_name: z.string().min(1),
  last_name: z.string().min(1),
  role: z.enum(ROLES).default('standard'),
  status: z.enum(['active', 'invited']).default('active'),
});

/**
 * Tallyfy-only sandbox endpoints under /__sandbox (beside the shared faults, limits, stats): the whole
 * organisation, requests per endpoint (with 429s), writes per kind, a member added directly, a reset.
 * Not part of Tallyfy's API: they bypass auth, rate limits and faults.
 */
export function createTallyfyControlRoutes(deps: { org: Organization; limiter: TallyfyRateLimiter; counts: RequestCounter; tokens: TokenStore; stats: Stats }): Router<ControlRoute> {
  const { org, limiter, counts, tokens, stats } = deps;
  return createRouter<ControlRoute>()
    .add('GET', '/organization', () => reply(200, inspectOrganization(org)))
    .add('GET', '/requests', () => reply(200, counts.snapshot()))
    .add('GET', '/writes', () => reply(200, { ...org.writes }))
    // Seeds a member without an invitation (and without spending the invite cap): test set-up.
    .add('POST', '/users', async ({ json }) => {
      const input = MemberInput.parse(await json());
      if (org.userByEmail(input.email)) return reply(409, { error: `a member with email ${input.email} exists` });
      return reply(201, renderUser(org, org.addUser(input)));
    })
    // Empties the organisation (the admin member is recreated), the limits' windows, issued tokens and counters.
    .add('POST', '/reset', () => {
      org.reset();
      limiter.reset();
      tokens.reset();
      counts.reset();
      stats.reset();
      return reply(200, { reset: true });
    });
}
