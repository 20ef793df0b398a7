import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeClock } from '../test-client.ts';
import { startProcessStreetSandbox, type ProcessStreetSandbox } from './index.ts';
import { psClient } from './test-support.ts';

describe('Process Street sandbox: limits, faults, control plane', () => {
  const clock = createFakeClock();
  let sb: ProcessStreetSandbox;
  let get: ReturnType<typeof psClient>;
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sb.rootUrl}/__sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return res.json() as Promise<Record<string, unknown>>;
  };

  beforeAll(async () => {
    sb = await startProcessStreetSandbox({ seed: 2, size: 0.05, apiKeys: ['key-a', 'key-b'], limits: { perSecond: 2 }, now: clock.now });
    get = psClient(sb.url, 'key-a');
  });
  afterAll(() => sb.close());

  it('answers 429 RateLimited with Retry-After past the per-key rate; another key has its own bucket; time refills it', async () => {
    expect((await control('GET', '/limits')).perSecond).toBe(2);
    expect((await get('/users')).status).toBe(200);
    expect((await get('/users')).status).toBe(200);
    const refused = await get('/users');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body).toEqual({ error: expect.any(String), errorCode: 'RateLimited', requestId: expect.any(String) });
    expect((await psClient(sb.url, 'key-b')('/users')).status).toBe(200);
    clock.advance(500);
    expect((await get('/users')).status).toBe(200);
    expect((await get('/users')).status).toBe(429);
    await control('PATCH', '/limits', { perSecond: 0 });
    for (let i = 0; i < 5; i += 1) expect((await get('/users')).status).toBe(200);
  });

  it('injects 5xx and 429 through the shared fault control, in ErrorInfo form', async () => {
    await control('PATCH', '/faults', { rate5xx: 1, statuses5xx: [503] });
    const failed = await get('/workflows');
    expect(failed.status).toBe(503);
    expect(failed.body.errorCode).toBe('InternalError');
    await control('PUT', '/faults', { rate429: 1, retryAfterSec: 7 });
    const limited = await get('/workflows');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.body.errorCode).toBe('RateLimited');
    await control('PUT', '/faults', {});
    expect((await get('/workflows')).status).toBe(200);
  });

  it('counts API calls per endpoint and status; the stats reset clears them; /organization gives counts and ids', async () => {
    await control('POST', '/stats/reset');
    const runId = sb.organization.listedRuns[0]?.id;
    await get(`/workflow-runs/${runId}/tasks`);
    await get(`/workflow-runs/${runId}/tasks`);
    await get('/workflow-runs/list?status=Bogus');
    await psClient(sb.url, 'nope')('/users');
    const counts = await control('GET', '/requests');
    expect(counts).toEqual({
      total: 4,
      byEndpoint: {
        'GET /api/v1.1/workflow-runs/:runId/tasks': { 200: 2 },
        'GET /api/v1.1/workflow-runs/list': { 400: 1 },
        'GET /api/v1.1/users': { 401: 1 },
      },
      byStatus: { 200: 2, 400: 1, 401: 1 },
    });
    expect((await control('GET', '/stats')).requests).toBe(4);
    const summary = await control('GET', '/organization');
    expect(summary.counts).toEqual(JSON.parse(JSON.stringify(sb.organization.counts)));
    const inspected = await control('GET', '/organization?ids=true') as { ids: { runs: string[] } };
    expect(inspected.ids.runs).toHaveLength(sb.organization.counts.runs);
  });
});
