import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock, createTestClient, type LooseJson } from '../test-client.ts';
import { blueprint, startHarness, type Harness } from './test-support.ts';

describe('Tallyfy sandbox rate limits', () => {
  let h: Harness | undefined;
  afterEach(() => h?.sandbox.close());

  it('120 comments per hour per organisation: the 121st is 429 RATE_LIMIT_EXCEEDED with Retry-After, whatever the token', async () => {
    const clock = createFakeClock(Date.UTC(2026, 0, 1, 10, 0, 0));
    h = await startHarness({ now: clock.now, limits: { perMinute: 0, burstPerSecond: 0, commentsPerHour: 120, invitesPerHour: 30 }, tokens: ['t1', 't2'] });
    const { checklist } = await blueprint(h.api, []);
    const task = (await h.api('POST', '/runs', { checklist_id: checklist.id })).body.data.tasks.data[0];
    const comment = (token: string, i: number) => h!.raw(token)('POST', `/organizations/${h!.sandbox.organizationId}/tasks/${task.id}/comment`, { content: `c${i}` });
    for (let i = 0; i < 120; i += 1) {
      const posted = await comment(i % 2 === 0 ? 't1' : 't2', i);
      expect(posted.status).toBe(201);
      // Spread over 50 minutes: the cap is per hour, not per burst.
      clock.advance(25_000);
    }
    const refused = await comment('t1', 121);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ message: expect.stringContaining('hourly limit'), code: 'RATE_LIMIT_EXCEEDED' });
    // The first comment (10:00:00) leaves the window at 11:00:00; it is 10:50:00 now.
    expect(refused.headers.get('retry-after')).toBe('600');
    expect(refused.headers.get('x-request-id')).toMatch(/.+/);
    expect((await h.api('GET', `/runs/${task.run_id}/tasks/${task.id}?with=threads`)).body.data.threads.data).toHaveLength(120);
    // Other calls are not held back by the comment cap.
    expect((await h.api('GET', '/checklists')).status).toBe(200);
    clock.advance(600_000);
    expect((await comment('t2', 122)).status).toBe(201);
    const counts = (await createTestClient(h.sandbox.url)('GET', '/__sandbox/requests')).body;
    expect(counts.byEndpoint['POST /organizations/:org/tasks/:id/comment']).toEqual({ requests: 122, rateLimited: 1, byStatus: { 201: 121, 429: 1 } });
  });

  it('windowScale compresses the hour: 30 invites per scaled hour, then 429 until the window passes', async () => {
    const clock = createFakeClock(Date.UTC(2026, 0, 1, 10, 0, 0));
    h = await startHarness({ now: clock.now, limits: { perMinute: 0, burstPerSecond: 0, invitesPerHour: 30, windowScale: 0.01 } });
    const invite = (i: number) => h!.api('POST', '/users/invite', { email: `u${i}@x.com`, first_name: 'U', last_name: `${i}`, role: 'light', message: 'hi' });
    for (let i = 0; i < 30; i += 1) expect((await invite(i)).status).toBe(200);
    const refused = await invite(30);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('36');
    clock.advance(36_000);
    expect((await invite(30)).status).toBe(200);
  });

  it('600 requests per minute per token, rolling, with X-RateLimit-Remaining; another token has its own budget', async () => {
    const clock = createFakeClock(Date.UTC(2026, 0, 1, 10, 0, 0));
    h = await startHarness({ now: clock.now, limits: { perMinute: 600, burstPerSecond: 0 }, tokens: ['t1', 't2'] });
    const path = `/organizations/${h.sandbox.organizationId}/checklists`;
    const t1 = h.raw('t1');
    const first = await t1('GET', path);
    expect(first.headers.get('x-ratelimit-remaining')).toBe('599');
    for (let i = 1; i < 600; i += 1) {
      // 600 requests over 59.9 s.
      clock.advance(100);
      expect((await t1('GET', path)).status).toBe(200);
    }
    const refused = await t1('GET', path);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('RATE_LIMIT_EXCEEDED');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(refused.headers.get('retry-after'))).toBe(1);
    expect((await h.raw('t2')('GET', path)).status).toBe(200);
    // Rolling: the first request (t = 0) leaves the window at t = 60 s, freeing exactly one slot (the next left at 60.1 s).
    clock.advance(100);
    expect((await t1('GET', path)).status).toBe(200);
    expect((await t1('GET', path)).status).toBe(429);
    const counts = h.sandbox.requests.snapshot();
    expect(counts.byEndpoint['GET /organizations/:org/checklists']).toMatchObject({ requests: 604, rateLimited: 2 });
  });

  it('throttles bursts per token (20 in a second by default), and limits change at runtime through /__sandbox/limits', async () => {
    const clock = createFakeClock(Date.UTC(2026, 0, 1, 10, 0, 0));
    h = await startHarness({ now: clock.now, limits: {} });
    const results = await Promise.all(Array.from({ length: 25 }, () => h!.api('GET', '/users')));
    expect(results.filter((r) => r.status === 200)).toHaveLength(20);
    expect(results.filter((r) => r.status === 429)).toHaveLength(5);
    const admin = createTestClient(h.sandbox.url);
    expect((await admin('GET', '/__sandbox/limits')).body).toEqual({ perMinute: 600, commentsPerHour: 120, invitesPerHour: 30, windowScale: 1 });
    await admin('PATCH', '/__sandbox/limits', { burstPerSecond: 22 });
    expect((await Promise.all(Array.from({ length: 3 }, () => h!.api('GET', '/users')))).map((r) => r.status).sort()).toEqual([200, 200, 429]);
    // perMinute off turns the derived burst limit off too (throughput runs).
    await admin('PUT', '/__sandbox/limits', { perMinute: 0 });
    const free = await Promise.all(Array.from({ length: 50 }, () => h!.api('GET', '/users')));
    expect(free.every((r) => r.status === 200)).toBe(true);
    expect((await admin('PATCH', '/__sandbox/limits', { windowScale: 0 })).status).toBe(400);
  });

  it('injects faults in Tallyfy shapes and shows the organisation, writes and requests on the control plane', async () => {
    h = await startHarness({ adminToken: 'secret' });
    const admin = (method: string, path: string, body?: unknown) => createTestClient(h!.sandbox.url)(method, path, body, { 'x-sandbox-admin-token': 'secret' });
    expect((await createTestClient(h.sandbox.url)('GET', '/__sandbox/organization')).status).toBe(401);
    await admin('PATCH', '/__sandbox/faults', { rate429: 1, retryAfterSec: 7 });
    const injected = await h.api('GET', '/users');
    expect(injected.status).toBe(429);
    expect(injected.headers.get('retry-after')).toBe('7');
    expect(injected.body.code).toBe('RATE_LIMIT_EXCEEDED');
    await admin('PUT', '/__sandbox/faults', { rate5xx: 1, statuses5xx: [503] });
    expect((await h.api('GET', '/users')).body).toMatchObject({ error: true });
    await admin('PUT', '/__sandbox/faults', {});
    expect((await admin('POST', '/__sandbox/users', { email: 'seeded@x.com', first_name: 'S', last_name: 'D' })).status).toBe(201);
    await h.api('POST', '/groups', { name: 'G', description: 'd' });
    const org = (await admin('GET', '/__sandbox/organization')).body;
    expect(org.members.map((m: LooseJson) => m.email)).toEqual(['admin@sandbox.tallyfy.test', 'seeded@x.com']);
    expect(org.counts).toMatchObject({ members: 2, groups: 1 });
    expect((await admin('GET', '/__sandbox/writes')).body.groupsCreated).toBe(1);
    const requests = (await admin('GET', '/__sandbox/requests')).body;
    expect(requests.byEndpoint['GET /organizations/:org/users']).toMatchObject({ requests: 2, rateLimited: 1, byStatus: { 429: 1, 503: 1 } });
    expect((await admin('GET', '/__sandbox/stats')).body).toMatchObject({ injected429: 1, injected5xx: 1 });
    await admin('POST', '/__sandbox/reset');
    expect((await admin('GET', '/__sandbox/organization')).body.counts).toMatchObject({ members: 1, groups: 0 });
    expect((await h.api('GET', '/users')).status).toBe(200);
  });
});
