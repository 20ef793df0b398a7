import { createHash } from 'node:crypto';
import { createRateBudget, type RateBudget, type RateBudgetOptions } from './rate-budget.ts';

/**
 * Process-wide home of rate budgets, keyed by (system, token, class). Created once by the worker
 * (or a script) and passed to every connector, so all concurrent jobs using the same Attio token
 * share one write budget instead of each assuming it owns the full 25/s.
 * Tokens are hashed before use as keys: the registry never holds them in clear.
 */
export interface BudgetRegistry {
  get(key: { system: string; token: string; kind: string }, options: Omit<RateBudgetOptions, 'name'>): RateBudget;
  all(): RateBudget[];
}

export function createBudgetRegistry(): BudgetRegistry {
  const budgets = new Map<string, RateBudget>();
  return {
    get(key, options) {
      const tokenHash = createHash('sha256').update(key.token).digest('hex').slice(0, 12);
      const id = `${key.system}:${tokenHash}:${key.kind}`;
      let budget = budgets.get(id);
      if (!budget) {
        budget = createRateBudget({ ...options, name: id });
        budgets.set(id, budget);
      }
      return budget;
    },
    all: () => [...budgets.values()],
  };
}
