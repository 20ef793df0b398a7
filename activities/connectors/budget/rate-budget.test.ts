import { describe, expect, it } from 'vitest';
import type { Clock } from '../http/sleep.ts';
import { createBudgetRegistry } from './budget-registry.ts';
import { createRateBudget } from './rate-budget.ts';

/** Virtual clock: sleeping advances time instantly, so pacing is measured without waiting. */
function fakeClock(start = 1_000_000): Clock & { t: number } {
  const clock = {
    t: start,
    now: () => clock.t,
    sleep: (ms: number) => {
      clock.t += Math.max(0, ms);
      return Promise.resolve();
    },
  };
  return clock;
}

describe('createRateBudget', () => {
  it('spaces slots evenly at ceiling × limit', async () => {
    const clock = fakeClock();
    const budget = createRateBudget({ name: 'w', limitPerSec: 25, clock });
    const start = clock.t;
    for (let i = 0; i < 250; i += 1) await budget.acquire();
    const seconds = (clock.t - start) / 1000;
    expect(250 / seconds).toBeGreaterThan(25 * 0.95);
    expect(250 / seconds).toBeLessThanOrEqual(25);
  });

  it('backs off multiplicatively on 429, once per congestion event, and probes back up', async () => {
    const clock = fakeClock();
    const budget = createRateBudget({ name: 'w', limitPerSec: 25, clock });
    const before = budget.stats().ratePerSec;
    budget.onRateLimited(1000);
    budget.onRateLimited(1000);
    const after = budget.stats().ratePerSec;
    expect(after).toBeCloseTo(before * 0.85);
    expect(budget.stats().decreases).toBe(1);
    for (let i = 0; i < 500; i += 1) {
      await budget.acquire();
      budget.onSuccess();
    }
    expect(budget.stats().ratePerSec).toBeCloseTo(before);
  });

  it('holds callers until Retry-After has passed', async () => {
    const clock = fakeClock();
    const budget = createRateBudget({ name: 'w', limitPerSec: 25, clock });
    await budget.acquire();
    const t0 = clock.t;
    budget.onRateLimited(2000);
    await budget.acquire();
    expect(clock.t - t0).toBeGreaterThanOrEqual(2000);
  });

  it('honours a temporary cap', async () => {
    const clock = fakeClock();
    const budget = createRateBudget({ name: 'r', limitPerSec: 100, clock });
    budget.capRate(2, clock.t + 60_000);
    const t0 = clock.t;
    for (let i = 0; i < 5; i += 1) await budget.acquire();
    expect(clock.t - t0).toBeGreaterThanOrEqual(2000);
  });

  it('paces concurrent callers with real time', async () => {
    const budget = createRateBudget({ name: 'w', limitPerSec: 200 });
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 40 }, () => budget.acquire()));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(180);
  });
});

describe('createBudgetRegistry', () => {
  it('shares one budget per token and kind, without keeping the token in the name', () => {
    const registry = createBudgetRegistry();
    const a = registry.get({ system: 'attio', scope: 'secret-token-1', kind: 'write' }, { limitPerSec: 25 });
    const b = registry.get({ system: 'attio', scope: 'secret-token-1', kind: 'write' }, { limitPerSec: 25 });
    const c = registry.get({ system: 'attio', scope: 'secret-token-2', kind: 'write' }, { limitPerSec: 25 });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a.name).not.toContain('secret');
  });
});
