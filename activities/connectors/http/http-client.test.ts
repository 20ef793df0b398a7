import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../connector-error.ts';
import { createRateBudget } from '../budget/rate-budget.ts';
import { createHttpClient, defaultClassify, type HttpClientOptions } from './http-client.ts';
import type { Clock } from './sleep.ts';
import { failureOf } from '../test-helpers.ts';

type Step = Response | Error;

function fakeFetch(steps: Step[]) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fn = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const step = steps.shift();
    if (!step) throw new Error('no more steps');
    if (step instanceof Error) throw step;
    return step;
  }) as unknown as typeof fetch;
  return { fn, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function fakeClock(): Clock & { slept: number[] } {
  let t = Date.parse('2024-05-01T10:00:00Z');
  const slept: number[] = [];
  return { slept, now: () => t, sleep: async (ms) => { slept.push(ms); t += ms; } };
}

const client = (steps: Step[], extra: Partial<HttpClientOptions> = {}) => {
  const f = fakeFetch(steps);
  const clock = fakeClock();
  const http = createHttpClient({
    baseUrl: 'https://api.example.com/',
    headers: { authorization: 'Bearer sk-very-secret-token' },
    secrets: ['sk-very-secret-token'],
    classifyError: (failed) => defaultClassify(failed, JSON.stringify(failed.body)),
    fetch: f.fn,
    clock,
    ...extra,
  });
  return { http, calls: f.calls, clock };
};

describe('createHttpClient', () => {
  it('sends query params in order, skipping empty ones, with auth and JSON body', async () => {
    const { http, calls } = client([json(200, { ok: true })]);
    const res = await http.request<{ ok: boolean }>({ method: 'POST', path: '/x', query: [['b', 2], ['a', 'z z'], ['c', null]], body: { n: 1 } });
    expect(res.body.ok).toBe(true);
    expect(calls[0]?.url).toBe('https://api.example.com/x?b=2&a=z+z');
    expect((calls[0]?.init.headers as Record<string, string>).authorization).toBe('Bearer sk-very-secret-token');
    expect(calls[0]?.init.body).toBe('{"n":1}');
  });

  it('retries 429 after the Retry-After wait (seconds or HTTP date), then succeeds', async () => {
    const { http, clock } = client([
      json(429, { code: 'rate_limit_exceeded' }, { 'retry-after': '2' }),
      json(429, {}, { 'retry-after': 'Wed, 01 May 2024 10:00:05 GMT' }),
      json(200, { ok: true }),
    ]);
    await http.request({ method: 'GET', path: '/x' });
    expect(clock.slept).toEqual([2000, 3000]);
    expect(http.stats()).toMatchObject({ requests: 3, rateLimited: 2 });
  });

  it('lets a shared budget hold the wait when there is one', async () => {
    const clock = fakeClock();
    const budget = createRateBudget({ name: 'w', limitPerSec: 1000, clock });
    const { http } = client([json(429, {}, { 'retry-after': '1' }), json(200, {})], { clock });
    const t0 = clock.now();
    await http.request({ method: 'GET', path: '/x', budget });
    expect(clock.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(budget.stats().rateLimited).toBe(1);
  });

  it('gives up on 429 past the bounds with a rate_limited error carrying the wait', async () => {
    const { http } = client([json(429, {}, { 'retry-after': '600' })], { max429WaitMs: 10_000 });
    const error = await failureOf(http.request({ method: 'GET', path: '/x' }));
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 600_000, retryable: true });
  });

  it('does not retry 5xx: transient, for the activity to retry', async () => {
    const { http, calls } = client([json(503, { message: 'down' }), json(200, {})]);
    await expect(http.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({ kind: 'transient', status: 503 });
    expect(calls).toHaveLength(1);
  });

  it('classifies network errors and timeouts as transient, without leaking credentials', async () => {
    const reset = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    const { http } = client([reset]);
    const error = await failureOf(http.request({ method: 'GET', path: '/x' }));
    expect(error).toMatchObject({ kind: 'transient', message: 'API GET /x: ECONNRESET' });

    const slow = createHttpClient({
      baseUrl: 'https://api.example.com', headers: {}, secrets: [], classifyError: (f) => defaultClassify(f, ''), timeoutMs: 20,
      fetch: ((_: string, init: RequestInit) => new Promise((_r, reject) => init.signal?.addEventListener('abort', () => reject(new Error('aborted'))))) as unknown as typeof fetch,
    });
    await expect(slow.request({ method: 'GET', path: '/slow' })).rejects.toMatchObject({ kind: 'transient', message: 'API GET /slow: timed out after 20 ms' });
  });

  it('maps 401 to a non-retryable auth error and redacts secrets echoed by the server', async () => {
    const { http } = client([json(401, { message: 'bad token sk-very-secret-token' })]);
    const error = await failureOf(http.request({ method: 'GET', path: '/x' }));
    expect(error).toMatchObject({ kind: 'auth', status: 401, retryable: false });
    expect(error.message).not.toContain('sk-very-secret-token');
    expect(error.message).toContain('[REDACTED]');
  });

  it("rethrows the caller's abort as is", async () => {
    const controller = new AbortController();
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const { http } = client([], {
      fetch: ((_: string, init: RequestInit) => new Promise((_r, reject) => {
        init.signal?.addEventListener('abort', () => reject(new Error('aborted')));
        started();
      })) as unknown as typeof fetch,
    });
    const pending = http.request({ method: 'GET', path: '/x', signal: controller.signal });
    await inFlight;
    controller.abort(new Error('cancelled by workflow'));
    await expect(pending).rejects.toThrow('cancelled by workflow');
  });
});
