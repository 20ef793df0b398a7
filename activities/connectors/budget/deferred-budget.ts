import { abortable } from '../../../shared/db/abortable.ts';
import type { Pacer, RateBudget, RateBudgetStats } from './rate-budget.ts';

/**
 * A budget whose key is only known after a lookup (the Attio workspace of a token: `GET /v2/self`).
 * The first `acquire` runs `resolve` (again after a failure, whose error that caller gets); until
 * then the budget has seen no call, so the other methods have nothing to act on and do nothing.
 */
export function createDeferredBudget(provisionalName: string, resolve: () => Promise<RateBudget>): RateBudget {
  let current: RateBudget | undefined;
  let pending: Promise<RateBudget> | undefined;
  const target = (): Promise<RateBudget> => {
    pending ??= resolve().then(
      (budget) => (current = budget),
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
  const idle: RateBudgetStats = { name: provisionalName, ratePerSec: 0, maxRatePerSec: 0, limitPerSec: 0, acquired: 0, rateLimited: 0, decreases: 0 };
  return {
    get name() {
      return current?.name ?? provisionalName;
    },
    async acquire(signal, cost) {
      const budget = current ?? (await abortable(target(), signal));
      await budget.acquire(signal, cost);
    },
    onRateLimited: (retryAfterMs) => current?.onRateLimited(retryAfterMs),
    onSuccess: () => current?.onSuccess(),
    pauseFor: (ms) => current?.pauseFor(ms),
    setLimit: (limitPerSec) => current?.setLimit(limitPerSec),
    capRate: (ratePerSec, untilMs) => current?.capRate(ratePerSec, untilMs),
    stats: () => current?.stats() ?? idle,
  };
}

/**
 * One call paced by several budgets (an Attio query: a read, and its score). It waits for each in
 * turn, and tells every one of them the outcome: a 429 cannot say which limit it was.
 */
export function combinePacers(parts: ReadonlyArray<{ pacer: Pacer; cost: number }>): Pacer {
  return {
    async acquire(signal) {
      for (const { pacer, cost } of parts) await pacer.acquire(signal, cost);
    },
    onRateLimited(retryAfterMs) {
      for (const { pacer } of parts) pacer.onRateLimited(retryAfterMs);
    },
    onSuccess() {
      for (const { pacer } of parts) pacer.onSuccess();
    },
  };
}
