import { z } from 'zod';
import type { ControlRoute } from '../core/control.ts';
import { reply } from '../core/respond.ts';
import { createRouter, type Router } from '../core/router.ts';
import type { Stats } from '../core/stats.ts';
import type { AffinityAccount } from '../generator/index.ts';
import { MutationError, type Mutations } from '../generator/mutations.ts';
import type { AffinityRateLimiter } from './rate-limit.ts';
import type { RequestCounter } from './request-counts.ts';

const PoisonKind = z.enum(['person', 'organization', 'opportunity', 'note']);

/** Affinity-only sandbox endpoints: what the account holds, source changes (delta tests), and a reset of counters. */
export function createAffinityControlRoutes(deps: {
  account: AffinityAccount; limiter: AffinityRateLimiter; stats: Stats; requests: RequestCounter;
  /** Applies source changes (generator/mutations.ts); absent: 404. */
  mutate?: (mutations: Mutations) => unknown;
}): Router<ControlRoute> {
  const { account, limiter, stats, requests, mutate } = deps;
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
    // Change, add and delete source records as a user would in Affinity: { change: [...], add: [...], delete: [...] }.
    .add('POST', '/mutations', async ({ json }) => {
      if (!mutate) return reply(404, { error: 'mutations are off' });
      try {
        return reply(200, mutate((await json()) as Mutations));
      } catch (error) {
        if (error instanceof MutationError) return reply(404, { error: error.message });
        if (error instanceof z.ZodError) return reply(400, { error: error.message });
        throw error;
      }
    })
    .add('POST', '/reset', () => {
      limiter.reset();
      stats.reset();
      return reply(200, { reset: true });
    });
}
