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

export interface BudgetHooks {
  /** A caller of budget `kind` (e.g. `attio:write`) waits `ms` for its slot. Never the token. */
  onWait?: (kind: string, ms: number) => void;
  onRateLimited?: (kind: string) => void;
}

export function createBudgetRegistry(hooks: BudgetHooks = {}): BudgetRegistry {
  const budgets = new Map<string, RateBudget>();
  return {
    get(key, options) {
      const tokenHash = createHash('sha256').update(key.token).digest('hex').slice(0, 12);
      const id = `${key.system}:${tokenHash}:${key.kind}`;
      let budget = budgets.get(id);
      if (!budget) {
        // Metrics label by system and class only: the token hash would multiply series per tenant key.
        const kind = `${key.system}:${key.kind}`;
        budget = createRateBudget({
          ...options, name: id,
          ...(hooks.onWait ? { onWait: (ms: number) => hooks.onWait?.(kind, ms) } : {}),
          ...(hooks.onRateLimited ? { onRateLimited: () => hooks.onRateLimited?.(kind) } : {}),
        });
        budgets.set(id, budget);
      }
      return budget;
    },
    all: () => [...budgets.values()],
  };
}
