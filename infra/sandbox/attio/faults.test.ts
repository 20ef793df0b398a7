import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { POISON_MARKER } from '../generator/index.ts';
import { createTestClient } from '../test-client.ts';
import { startAttioSandbox, type AttioSandbox } from './index.ts';

describe('fault injection (Attio sandbox)', () => {
  let sandbox: AttioSandbox;
  let call: ReturnType<typeof createTestClient>;
  const people = () => sandbox.workspace.objects.get('people')?.records.size ?? 0;
  const create = (email: string, lastName = 'Doe') =>
    call('PUT', '/v2/objects/people/records?matching_attribute=email_addresses', { data: { values: { email_addresses: [email], name: { first_name: 'Jo', last_name: lastName, full_name: `Jo ${lastName}` } } } });

  beforeAll(async () => {
    sandbox = await startAttioSandbox({ limits: { readsPerSecond: 0, writesPerSecond: 0 } });
    call = createTestClient(sandbox.url, `Bearer ${sandbox.token}`);
  });
  beforeEach(async () => {
    await call('PUT', '/__sandbox/faults', {});
    await call('POST', '/__sandbox/reset');
  });
  afterAll(() => sandbox.close());

  it('poison: refused with 400 (the documented code of creates) while on, accepted after switching it off', async () => {
    const poisoned = await create('p@x.com', `Doe ${POISON_MARKER}`);
    expect(poisoned.status).toBe(400);
    expect(poisoned.body).toMatchObject({ status_code: 400, type: 'invalid_request_error', code: 'value_not_found' });
    expect(poisoned.body.message).toMatch(/poison/);
    expect(people()).toBe(0);
    expect(sandbox.stats.snapshot().poisonRejections).toBe(1);
    expect((await call('POST', '/__sandbox/poison', { enabled: false })).body.enabled).toBe(false);
    expect((await create('p@x.com', `Doe ${POISON_MARKER}`)).status).toBe(200);
    await call('POST', '/__sandbox/poison', { enabled: true, markers: ['BAD'] });
    expect((await create('q@x.com', 'BAD apple')).status).toBe(400);
    await call('PUT', '/__sandbox/poison', {});
  });

  it('5xx rate: 1 → every request fails unprocessed; 0.5 → about half (seeded, so repeatable)', async () => {
    await call('PATCH', '/__sandbox/faults', { rate5xx: 1 });
    const failed = await Promise.all(Array.from({ length: 10 }, (_, i) => create(`f${i}@x.com`)));
    expect(failed.every((r) => [500, 502, 503].includes(r.status))).toBe(true);
    expect(failed[0]?.body.type).toBe('api_error');
    expect(people()).toBe(0);
    await call('PUT', '/__sandbox/faults', { rate5xx: 0.5, seed: 11 });
    await call('POST', '/__sandbox/stats/reset');
    const statuses: number[] = [];
    for (let i = 0; i < 200; i += 1) statuses.push((await call('GET', '/v2/objects')).status);
    const errors = statuses.filter((s) => s >= 500).length;
    expect(errors).toBeGreaterThan(70);
    expect(errors).toBeLessThan(130);
    expect(sandbox.stats.snapshot().injected5xx).toBe(errors);
  });

  it('injected 429 carries Retry-After as an HTTP date and is not processed', async () => {
    await call('PATCH', '/__sandbox/faults', { rate429: 1 });
    const res = await create('r@x.com');
    expect(res.status).toBe(429);
    expect(Number.isNaN(Date.parse(res.headers.get('retry-after') ?? ''))).toBe(false);
    expect(people()).toBe(0);
  });

  it('connection resets: before processing nothing is applied; after processing the write stands', async () => {
    await call('PATCH', '/__sandbox/faults', { resetRate: 1 });
    await expect(create('s@x.com')).rejects.toThrow();
    expect(people()).toBe(0);
    await call('PUT', '/__sandbox/faults', { resetAfterRate: 1 });
    await expect(create('s@x.com')).rejects.toThrow();
    expect(people()).toBe(1);
    expect(sandbox.stats.snapshot().resets).toBe(2);
  });

  it('latency: a fixed delay holds every API answer; control input is validated', async () => {
    await call('PATCH', '/__sandbox/faults', { latencyMs: 150, jitterMs: 20 });
    const started = performance.now();
    expect((await call('GET', '/v2/objects')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(149);
    const bad = await call('PATCH', '/__sandbox/faults', { rate5xx: 2 });
    expect(bad.status).toBe(400);
    expect((await call('GET', '/__sandbox/faults')).body).toMatchObject({ latencyMs: 150, rate5xx: 0 });
  });
});
