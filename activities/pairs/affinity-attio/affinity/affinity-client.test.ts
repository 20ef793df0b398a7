import { describe, expect, it } from 'vitest';
import { createBudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import type { Clock } from '../../../connectors/http/sleep.ts';
import { createAffinityClient } from './affinity-client.ts';

function fakeClock(): Clock & { t: number } {
  const clock = { t: 1_000_000, now: () => clock.t, sleep: async (ms: number) => { clock.t += Math.max(0, ms); } };
  return clock;
}

const respond = (headers: Record<string, string>, status = 200, body: unknown = []) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const limits = (remaining: number, reset: number, limit = 900) => ({
  'x-ratelimit-limit-user': String(limit), 'x-ratelimit-limit-user-remaining': String(remaining), 'x-ratelimit-limit-user-reset': String(reset),
  'x-ratelimit-limit-org': '100000', 'x-ratelimit-limit-org-remaining': '5000', 'x-ratelimit-limit-org-reset': '86400',
});

describe('createAffinityClient rate-limit headers', () => {
  it('sends Basic auth with the key as password', async () => {
    let auth = '';
    const client = createAffinityClient({
      baseUrl: 'https://api.affinity.co', apiKey: 'key123', budgets: createBudgetRegistry(),
      fetch: (async (_u: string, init: RequestInit) => { auth = (init.headers as Record<string, string>).authorization ?? ''; return respond({}); }) as unknown as typeof fetch,
    });
    await client.get('/lists');
    expect(auth).toBe(`Basic ${Buffer.from(':key123').toString('base64')}`);
  });

  it('waits for the reset when the minute pool is empty', async () => {
    const clock = fakeClock();
    const client = createAffinityClient({
      baseUrl: 'https://x', apiKey: 'k', budgets: createBudgetRegistry(), clock,
      fetch: (async () => respond(limits(0, 20))) as unknown as typeof fetch,
    });
    await client.get('/persons');
    const t0 = clock.t;
    await client.get('/persons');
    expect(clock.t - t0).toBeGreaterThanOrEqual(20_000);
    expect(client.rateState()).toMatchObject({ userRemaining: 0, userResetSec: 20, orgRemaining: 5000 });
  });

  it('spreads the last calls of a window over the time left when the pool runs low', async () => {
    const clock = fakeClock();
    const client = createAffinityClient({
      baseUrl: 'https://x', apiKey: 'k', budgets: createBudgetRegistry(), clock,
      fetch: (async () => respond(limits(10, 30))) as unknown as typeof fetch,
    });
    await client.get('/persons');
    const t0 = clock.t;
    for (let i = 0; i < 4; i += 1) await client.get('/persons');
    // 10 calls left for 30 s → one call every 3 s (the first slot was taken before the cap).
    expect(clock.t - t0).toBeGreaterThanOrEqual(3 * 3000);
  });

  it('follows the limit the headers announce, and runs unpaced when it is unlimited', async () => {
    const clock = fakeClock();
    const client = createAffinityClient({
      baseUrl: 'https://x', apiKey: 'k', budgets: createBudgetRegistry(), clock,
      fetch: (async () => respond({ 'x-ratelimit-limit-user': 'unlimited', 'x-ratelimit-limit-user-remaining': 'unlimited', 'x-ratelimit-limit-user-reset': '60' })) as unknown as typeof fetch,
    });
    await client.get('/persons');
    const t0 = clock.t;
    for (let i = 0; i < 100; i += 1) await client.get('/persons');
    // Only the slot reserved before the first answer is paced at the default 900/min.
    expect(clock.t - t0).toBeLessThan(100);
  });

  it('maps a 429 with the monthly pool empty to quota_exceeded without freezing the budget for a month', async () => {
    const clock = fakeClock();
    const client = createAffinityClient({
      baseUrl: 'https://x', apiKey: 'k', budgets: createBudgetRegistry(), clock,
      fetch: (async () => respond({ ...limits(800, 30), 'x-ratelimit-limit-org-remaining': '0', 'retry-after': '2000000' }, 429, { errors: [{ message: 'Rate limit exceeded' }] })) as unknown as typeof fetch,
    });
    await expect(client.get('/persons')).rejects.toMatchObject({ kind: 'quota_exceeded', retryable: false });
    expect(clock.t - 1_000_000).toBeLessThan(1000);
  });
});

describe('v1 and v2 in one client', () => {
  it('sends Bearer on v2 paths with the same key, and both count against one budget', async () => {
    const seen: string[] = [];
    const client = createAffinityClient({
      baseUrl: 'https://api.affinity.co', apiKey: 'key123', budgets: createBudgetRegistry(),
      fetch: (async (u: string, init: RequestInit) => { seen.push(`${new URL(u).pathname} ${(init.headers as Record<string, string>).authorization ?? ''}`); return respond(limits(500, 30)); }) as unknown as typeof fetch,
    });
    await client.get('/lists');
    await client.getV2('/v2/persons', [['limit', 100]]);
    expect(seen).toEqual([`/lists Basic ${Buffer.from(':key123').toString('base64')}`, '/v2/persons Bearer key123']);
    expect(client.stats().requests).toBe(2);
    expect(client.rateState()).toMatchObject({ userRemaining: 500 });
  });

  it('follows a nextUrl on the configured origin and refuses any other', async () => {
    const paths: string[] = [];
    const client = createAffinityClient({
      baseUrl: 'https://api.affinity.co', apiKey: 'key123', budgets: createBudgetRegistry(),
      fetch: (async (u: string) => { paths.push(u); return respond({}); }) as unknown as typeof fetch,
    });
    await client.getNext('https://api.affinity.co/v2/persons?cursor=abc&limit=100');
    expect(paths).toEqual(['https://api.affinity.co/v2/persons?cursor=abc&limit=100']);
    for (const bad of ['https://api.affinity.co.evil.example/v2/persons', 'http://api.affinity.co/v2/persons', 'https://u:p@api.affinity.co/v2/persons', 'https://api.affinity.co/persons', 'https://api.affinity.co/v2/..%2f/x', '/v2/persons']) {
      await expect(client.getNext(bad)).rejects.toMatchObject({ kind: 'config' });
    }
    expect(paths).toHaveLength(1);
  });
});
