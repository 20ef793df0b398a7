import { createHash } from 'node:crypto';
import { createRateBudget, type RateBudget, type RateBudgetOptions } from './rate-budget.ts';
import type { RateStore } from './rate-store.ts';
import { createSharedRateBudget } from './shared-rate-budget.ts';

/** Which limit a budget paces: the API, whose limit it is (an Attio workspace, an Affinity key), and the class of calls. */
export interface BudgetKey {
  system: string;
  /** What the API's limit is counted per: hashed before use, so a token may be passed. */
  scope: string;
  kind: string;
}

/**
 * Process-wide home of rate budgets, keyed by (system, scope, class): one per Attio workspace and
 * class of calls, one per Affinity key. Created once by the worker (or a script) and passed to every
 * connector, so all concurrent jobs aimed at the same limit share one budget. With a store, the
 * budgets of every process using the same store are one (shared-rate-budget.ts).
 * Scopes are hashed before use as keys: the registry never holds tokens in clear.
 */
export interface BudgetRegistry {
  get(key: BudgetKey, options: Omit<RateBudgetOptions, 'name'>): RateBudget;
  /**
   * The scope an API credential's limits are counted in (e.g. the Attio workspace of a token),
   * looked up once per process per credential: `resolve` runs on the first call (again after it failed).
   */
  resolveScope(system: string, credential: string, resolve: () => Promise<string>): Promise<string>;
  all(): RateBudget[];
}

export interface BudgetHooks {
  /** A caller of budget `kind` (e.g. `attio:write`) waits `ms` for its slot. Never the token. */
  onWait?: (kind: string, ms: number) => void;
  onRateLimited?: (kind: string) => void;
}

export interface BudgetRegistryOptions extends BudgetHooks {
  /** Where the budgets of several processes meet (pg-rate-store.ts); without one, budgets are per process. */
  store?: RateStore | undefined;
  /** Time one grant of the store covers (default 250 ms). */
  grantMs?: number | undefined;
  /** The store failed; the budget paces alone for a few seconds meanwhile. */
  onStoreError?: ((error: unknown) => void) | undefined;
}

/** A short, stable digest of a scope (token, workspace id): budget keys and names carry this, never the value. */
export function scopeDigest(system: string, scope: string): string {
  return createHash('sha256').update(`${system}\0${scope}`).digest('hex').slice(0, 16);
}

export function createBudgetRegistry(options: BudgetRegistryOptions = {}): BudgetRegistry {
  const budgets = new Map<string, RateBudget>();
  const scopes = new Map<string, Promise<string>>();
  return {
    get(key, budgetOptions) {
      const id = `${key.system}:${scopeDigest(key.system, key.scope)}:${key.kind}`;
      let budget = budgets.get(id);
      if (!budget) {
        // Metrics label by system and class only: the scope would multiply series per tenant key.
        const kind = `${key.system}:${key.kind}`;
        const named = {
          ...budgetOptions, name: id,
          ...(options.onWait ? { onWait: (ms: number) => options.onWait?.(kind, ms) } : {}),
          ...(options.onRateLimited ? { onRateLimited: () => options.onRateLimited?.(kind) } : {}),
        };
        budget = options.store
          ? createSharedRateBudget({ ...named, key: id, store: options.store, grantMs: options.grantMs, onStoreError: options.onStoreError })
          : createRateBudget(named);
        budgets.set(id, budget);
      }
      return budget;
    },
    resolveScope(system, credential, resolve) {
      const id = `${system}:${scopeDigest(system, credential)}`;
      let scope = scopes.get(id);
      if (!scope) {
        scope = resolve();
        scopes.set(id, scope);
        scope.catch(() => scopes.delete(id));
      }
      return scope;
    },
    all: () => [...budgets.values()],
  };
}
