import { z } from 'zod';
import type { ControlRoute } from '../core/control.ts';
import { reply } from '../core/respond.ts';
import { createRouter, type Router } from '../core/router.ts';
import type { Stats } from '../core/stats.ts';
import type { AffinityAccount } from '../generator/index.ts';
import type { AffinityRateLimiter } from './rate-limit.ts';
import type { RequestCounter } from './request-counts.ts';

const PoisonKind = z.enum(['person', 'organization', 'opportunity', 'note']);

/** Affinity-only sandbox endpoints: what the account holds, and a reset of counters. */
export function createAffinityControlRoutes(deps: { account: AffinityAccount; limiter: AffinityRateLimiter; stats: Stats; requests: RequestCounter }): Router<ControlRoute> {
  const { account, limiter, stats, requests } = deps;
  return createRouter<ControlRoute>()
    .add('GET', '/summary', () =>
      reply(200, {
        seed: account.seed,
        size: account.size,
        poisonRate: account.poisonRate,
        everyPersonHasCompany: account.everyPersonHasCompany,
        counts: account.counts,
        lists: account.lists,
        mergedIds: { person: account.mergedIds('person'), organization: account.mergedIds('organization') },
      }))
    .add('GET', '/poison-ids', ({ query }) => {
      const kinds = query.has('kind') ? [PoisonKind.parse(query.get('kind'))] : PoisonKind.options;
      return reply(200, Object.fromEntries(kinds.map((k) => [k, account.poisonIds(k)])));
    })
    .add('GET', '/merged', () =>
      reply(200, (['person', 'organization'] as const).flatMap((kind) =>
        account.mergedIds(kind).map((id) => ({ kind, id, mergedInto: account.mergedInto(kind, id) })))))
    // API calls received by version and endpoint since the last stats reset: `sandbox.affinity.requests`.
    .add('GET', '/requests', () => reply(200, requests.snapshot()))
    .add('POST', '/reset', () => {
      limiter.reset();
      stats.reset();
      return reply(200, { reset: true });
    });
}
