import { describe, expect, it, vi } from 'vitest';
import { createBudgetRegistry } from './budget-registry.ts';
import { combinePacers, createDeferredBudget } from './deferred-budget.ts';
import { createRateBudget, type RateBudget } from './rate-budget.ts';
import { createMemoryRateStore, type RateStore } from './rate-store.ts';
import { createSharedRateBudget } from './shared-rate-budget.ts';
import { createVirtualClock, type VirtualClock } from './virtual-clock.ts';

/** `callers` concurrent callers taking `each` slots; returns the times the slots were granted. */
async function drive(budget: RateBudget, clock: VirtualClock, callers: number, each: number): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(Array.from({ length: callers }, async () => {
    for (let i = 0; i < each; i += 1) {
      await budget.acquire();
      times.push(clock.now());
      budget.onSuccess();
    }
  }));
  return times;
}

/** Largest number of slots in any window of `ms` aligned to `ms` (like the sandbox's per-second windows). */
function peakPerWindow(times: number[], ms = 1000): number {
  const counts = new Map<number, number>();
  for (const t of times) counts.set(Math.floor(t / ms), (counts.get(Math.floor(t / ms)) ?? 0) + 1);
  return Math.max(...counts.values());
}

const shared = (clock: VirtualClock, store: RateStore, extra: Partial<Parameters<typeof createSharedRateBudget>[0]> = {}) =>
  createSharedRateBudget({ name: 'attio:ws:write', key: 'attio:ws:write', limitPerSec: 25, store, clock, ...extra });

describe('createSharedRateBudget', () => {
  it('paces one process evenly at ≥ 95% of the limit, with a store call per grant, not per request', async () => {
    const clock = createVirtualClock();
    const store = createMemoryRateStore(clock);
    const grant = vi.spyOn(store, 'grant');
    const budget = shared(clock, store);
    const t0 = clock.now();
    const times = await clock.run(() => drive(budget, clock, 8, 50));
    const seconds = (clock.now() - t0) / 1000;
    expect(400 / seconds).toBeGreaterThan(25 * 0.95);
    expect(400 / seconds).toBeLessThanOrEqual(25);
    expect(peakPerWindow(times)).toBeLessThanOrEqual(25);
    expect(grant.mock.calls.length).toBeLessThanOrEqual(400 / 5);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThan(1000 / 25 - 1);
  });

  it('two processes on one store stay under the limit together and use ≥ 95% of it', async () => {
    const clock = createVirtualClock();
    const store = createMemoryRateStore(clock);
    const a = shared(clock, store);
    const b = shared(clock, store);
    const t0 = clock.now();
    const [ta, tb] = await clock.run(() => Promise.all([drive(a, clock, 6, 50), drive(b, clock, 6, 50)]));
    const all = [...ta, ...tb].sort((x, y) => x - y);
    const seconds = (clock.now() - t0) / 1000;
    expect(peakPerWindow(all)).toBeLessThanOrEqual(25);
    expect(all.length / seconds).toBeGreaterThan(25 * 0.95);
    // Both got a fair share.
    expect(Math.abs(ta.length - tb.length)).toBe(0);
    expect(Math.min(...all.slice(1).map((t, i) => t - (all[i] as number)))).toBeGreaterThan(1000 / 25 - 1);
  });

  it('a 429 seen by one process pauses the other at its next grant and slows both', async () => {
    const clock = createVirtualClock();
    const store = createMemoryRateStore(clock);
    const a = shared(clock, store);
    const b = shared(clock, store);
    const bTimes: number[] = [];
    let pausedAt = 0;
    await clock.run(async () => {
      await Promise.all([drive(a, clock, 2, 10), drive(b, clock, 2, 10)]);
      pausedAt = clock.now();
      a.onRateLimited(2000);
      await Promise.all([
        drive(a, clock, 2, 10),
        (async () => {
          for (let i = 0; i < 20; i += 1) {
            await b.acquire();
            bTimes.push(clock.now());
          }
        })(),
      ]);
    });
    // b finishes the grant it holds (≤ 250 ms worth), then waits out the pause.
    const during = bTimes.filter((t) => t > pausedAt + 300 && t < pausedAt + 2000);
    expect(during).toHaveLength(0);
    expect(a.stats().decreases).toBe(1);
    expect(b.stats().ratePerSec).toBeLessThan(25 * 0.9);
  });

  it('after its own 429, spaces the callers from the end of the pause on, never two at once', async () => {
    const clock = createVirtualClock();
    const budget = shared(clock, createMemoryRateStore(clock));
    let times: number[] = [];
    let pausedAt = 0;
    await clock.run(async () => {
      // 20 slots: the grant in hand (6 slots each) still holds 4 when the 429 comes.
      await drive(budget, clock, 4, 5);
      pausedAt = clock.now();
      budget.onRateLimited(60);
      times = await drive(budget, clock, 8, 3);
    });
    expect(Math.min(...times)).toBeGreaterThanOrEqual(pausedAt + 60);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThan(1000 / 25 - 1);
  });

  it('charges a call its cost in units', async () => {
    const clock = createVirtualClock();
    const budget = shared(clock, createMemoryRateStore(clock), { limitPerSec: 10 });
    const t0 = clock.now();
    await clock.run(async () => {
      for (let i = 0; i < 11; i += 1) await budget.acquire(undefined, 5);
    });
    // 55 units at 9.8/s: about 5 s (the first call needs no wait).
    expect(clock.now() - t0).toBeGreaterThan(4_500);
  });

  it('paces alone when the store fails, and tries the store again later', async () => {
    const clock = createVirtualClock();
    const memory = createMemoryRateStore(clock);
    let failing = true;
    const store: RateStore = { ...memory, grant: (r) => (failing ? Promise.reject(new Error('db down')) : memory.grant(r)) };
    const errors: unknown[] = [];
    const budget = shared(clock, store, { onStoreError: (e) => errors.push(e), fallbackMs: 5000 });
    const t0 = clock.now();
    const times = await clock.run(() => drive(budget, clock, 4, 10));
    expect(errors).toHaveLength(1);
    expect((times.length - 1) / ((clock.now() - t0) / 1000)).toBeLessThanOrEqual(25);
    failing = false;
    clock.t += 5000;
    const grant = vi.spyOn(store, 'grant');
    await clock.run(() => drive(budget, clock, 1, 3));
    expect(grant).toHaveBeenCalled();
  });

  it('does not wait on a store that does not answer', async () => {
    const clock = createVirtualClock();
    const memory = createMemoryRateStore(clock);
    const store: RateStore = { ...memory, grant: () => new Promise(() => undefined) };
    const errors: unknown[] = [];
    const budget = shared(clock, store, { onStoreError: (e) => errors.push(e), storeTimeoutMs: 2000 });
    const t0 = clock.now();
    await clock.run(() => drive(budget, clock, 2, 5));
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('no answer within 2000 ms');
    expect(clock.now() - t0).toBeLessThan(2000 + 500);
  });

  // The next grant waits for the last 429 report (so it is computed after it): a report that never
  // comes back must not hold every later request of the process.
  it('does not wait on a 429 report the store never answers', async () => {
    const clock = createVirtualClock();
    const memory = createMemoryRateStore(clock);
    const store: RateStore = { ...memory, rateLimited: () => new Promise(() => undefined) };
    const errors: unknown[] = [];
    const budget = shared(clock, store, { onStoreError: (e) => errors.push(e), storeTimeoutMs: 2000 });
    await clock.run(() => drive(budget, clock, 1, 3));
    budget.onRateLimited(1000);
    const t0 = clock.now();
    await clock.run(() => drive(budget, clock, 2, 5));
    expect(String(errors[0])).toContain('no answer within 2000 ms');
    expect(clock.now() - t0).toBeLessThan(2000 + 1000 + 500);
  });

  it('does not use the store for limits meaning "off"', async () => {
    const clock = createVirtualClock();
    const store = createMemoryRateStore(clock);
    const grant = vi.spyOn(store, 'grant');
    const budget = shared(clock, store, { limitPerSec: 1_000_000 });
    await clock.run(() => drive(budget, clock, 4, 100));
    expect(grant).not.toHaveBeenCalled();
  });
});

describe('createBudgetRegistry with a store', () => {
  it('builds shared budgets keyed by a digest of the scope, and resolves a scope once', async () => {
    const clock = createVirtualClock();
    const registry = createBudgetRegistry({ store: createMemoryRateStore(clock) });
    const a = registry.get({ system: 'attio', scope: 'workspace:w1', kind: 'write' }, { limitPerSec: 25, clock });
    expect(registry.get({ system: 'attio', scope: 'workspace:w1', kind: 'write' }, { limitPerSec: 25, clock })).toBe(a);
    expect(a.name).toMatch(/^attio:[0-9a-f]{16}:write$/);
    const resolve = vi.fn(() => Promise.resolve('workspace:w1'));
    await registry.resolveScope('attio', 'secret-token', resolve);
    await registry.resolveScope('attio', 'secret-token', resolve);
    expect(resolve).toHaveBeenCalledTimes(1);
    const failing = vi.fn(() => Promise.reject(new Error('401')));
    await expect(registry.resolveScope('attio', 'bad', failing)).rejects.toThrow('401');
    await expect(registry.resolveScope('attio', 'bad', failing)).rejects.toThrow('401');
    expect(failing).toHaveBeenCalledTimes(2);
  });
});

describe('createDeferredBudget and combinePacers', () => {
  it('resolves the budget at the first acquire, once, and retries a failed lookup', async () => {
    const clock = createVirtualClock();
    const inner = createRateBudget({ name: 'attio:abc:write', limitPerSec: 25, clock });
    let calls = 0;
    const deferred = createDeferredBudget('attio:token-x:write', () => {
      calls += 1;
      return calls === 1 ? Promise.reject(new Error('self failed')) : Promise.resolve(inner);
    });
    expect(deferred.name).toBe('attio:token-x:write');
    deferred.onRateLimited(1000);
    await expect(deferred.acquire()).rejects.toThrow('self failed');
    await clock.run(() => deferred.acquire());
    await clock.run(() => deferred.acquire());
    expect(calls).toBe(2);
    expect(deferred.name).toBe('attio:abc:write');
    expect(deferred.stats().acquired).toBe(2);
  });

  it('a combined call waits for every budget at its cost and reports to all', async () => {
    const clock = createVirtualClock();
    const read = createRateBudget({ name: 'r', limitPerSec: 100, clock });
    const score = createRateBudget({ name: 'q', limitPerSec: 10, clock });
    const pacer = combinePacers([{ pacer: read, cost: 1 }, { pacer: score, cost: 3 }]);
    const t0 = clock.now();
    await clock.run(async () => {
      for (let i = 0; i < 5; i += 1) await pacer.acquire();
    });
    expect(clock.now() - t0).toBeGreaterThan(1_200);
    pacer.onRateLimited(500);
    expect(read.stats().rateLimited).toBe(1);
    expect(score.stats().rateLimited).toBe(1);
  });
});
