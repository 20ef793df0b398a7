import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock, createTestClient } from '../test-client.ts';
import { startAttioSandbox, type AttioSandbox } from './index.ts';

describe('Attio rate limits', () => {
  let sandbox: AttioSandbox | undefined;
  afterEach(() => sandbox?.close());

  it('records queries share a score window of 10 s per workspace: refused with Retry-After when it is spent', async () => {
    const clock = createFakeClock(Date.UTC(2025, 0, 15, 12, 0, 0, 400));
    sandbox = await startAttioSandbox({ now: clock.now, limits: { readsPerSecond: 0, writesPerSecond: 0, queryScorePer10s: 6 } });
    const call = createTestClient(sandbox.url, `Bearer ${sandbox.token}`);
    // An empty object: 1 for the query (each started 5,000 rows would add 1); a filter condition and a sort add 1 each.
    for (let i = 0; i < 5; i++) expect((await call('POST', '/v2/objects/people/records/query', { limit: 10 })).status).toBe(200);
    clock.advance(3_000);
    const heavy = await call('POST', '/v2/objects/people/records/query', { filter: { name: 'x' }, sorts: [{ attribute: 'name', direction: 'asc' }] });
    expect(heavy.status).toBe(429);
    // 5 of 6 spent at 12:00:00.4: a query of 3 fits once two of those age out, at 12:00:10.4 → the next whole second.
    expect(heavy.headers.get('retry-after')).toBe('Wed, 15 Jan 2025 12:00:11 GMT');
    expect(heavy.body).toMatchObject({ status_code: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' });
    expect((await call('POST', '/v2/objects/people/records/query', { limit: 10 })).status).toBe(200);
    expect((await call('POST', '/v2/objects/people/records/query', { limit: 10 })).status).toBe(429);
    clock.advance(7_100);
    expect((await call('POST', '/v2/objects/people/records/query', { filter: { name: 'x' }, sorts: [{ attribute: 'name', direction: 'asc' }] })).status).toBe(200);
  });

  it('25 writes/s per workspace: the 26th write in a second is 429 with Retry-After (next second) and not applied', async () => {
    const clock = createFakeClock(Date.UTC(2025, 0, 15, 12, 0, 0, 400));
    sandbox = await startAttioSandbox({ now: clock.now });
    const call = createTestClient(sandbox.url, `Bearer ${sandbox.token}`);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      call('POST', '/v2/objects/people/records', { data: { values: { email_addresses: [`w${i}@x.com`] } } })));
    const refused = results.filter((r) => r.status === 429);
    expect(results.filter((r) => r.status === 200)).toHaveLength(25);
    expect(refused).toHaveLength(5);
    for (const r of refused) {
      expect(r.headers.get('retry-after')).toBe('Wed, 15 Jan 2025 12:00:01 GMT');
      expect(r.body).toMatchObject({ status_code: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' });
    }
    expect(sandbox.workspace.objects.get('people')?.records.size).toBe(25);
    // Reads have their own budget and are still admitted in the same second.
    expect((await call('POST', '/v2/objects/people/records/query', { limit: 100 })).body.data).toHaveLength(25);
    clock.advance(600);
    expect((await call('POST', '/v2/objects/people/records', { data: { values: { email_addresses: ['w0@x.com'] } } })).status).toBe(400);
    const stats = sandbox.stats.snapshot();
    expect(stats.rateLimited).toBe(5);
    expect(stats.writes).toBe(31);
  });

  it('100 reads/s per workspace, queries included; the tokens of a workspace share its windows; limits change at runtime', async () => {
    const clock = createFakeClock(Date.UTC(2025, 0, 15, 12, 0, 0, 100));
    sandbox = await startAttioSandbox({ now: clock.now, tokens: ['t1', 't2'] });
    const t1 = createTestClient(sandbox.url, 'Bearer t1');
    const t2 = createTestClient(sandbox.url, 'Bearer t2');
    for (let i = 0; i < 50; i += 1) expect((await t1('GET', '/v2/objects')).status).toBe(200);
    for (let i = 0; i < 50; i += 1) expect((await t2('POST', '/v2/objects/people/records/query', {})).status).toBe(200);
    expect((await t1('GET', '/v2/lists')).status).toBe(429);
    const refused = await t2('GET', '/v2/lists');
    expect(refused.status).toBe(429);
    expect(refused.body.message).toContain('workspace');
    clock.advance(1000);
    expect((await t2('GET', '/v2/lists')).status).toBe(200);
    await t1('PATCH', '/__sandbox/limits', { readsPerSecond: 0 });
    expect((await t1('GET', '/v2/lists')).status).toBe(200);
    const bad = await t1('PATCH', '/__sandbox/limits', { writesPerSecond: -1 });
    expect(bad.status).toBe(400);
  });

  it('writes of two tokens count in one workspace window, and the per-second series shows what was tried', async () => {
    const clock = createFakeClock(Date.UTC(2025, 0, 15, 12, 0, 0, 100));
    sandbox = await startAttioSandbox({ now: clock.now, tokens: ['t1', 't2'] });
    const t1 = createTestClient(sandbox.url, 'Bearer t1');
    const t2 = createTestClient(sandbox.url, 'Bearer t2');
    const write = (call: typeof t1, i: number) => call('POST', '/v2/objects/people/records', { data: { values: { email_addresses: [`p${i}@x.com`] } } });
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => write(i % 2 === 0 ? t1 : t2, i).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(25);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    clock.advance(1000);
    const stats = (await t1('GET', '/__sandbox/stats?seconds=300')).body;
    expect(stats.perSecond[0]).toMatchObject({ writes: 25, writeRequests: 30, rateLimited: 5 });
    expect(stats.writesPerSecond.peak).toBe(25);
    expect(stats.writeRequestsPeak).toBe(30);
  });
});
