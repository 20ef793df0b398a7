import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import { systemClock } from '../../../connectors/http/sleep.ts';
import { failureOf } from '../../../connectors/test-helpers.ts';
import { createMemoryIdMap } from '../../../connectors/id-map/memory-id-map.ts';
import { createTallyfyClient, type TallyfyClientOptions } from './tallyfy-client.ts';
import { startTallyfyDouble, type TallyfyDouble } from './tallyfy-double.ts';
import { createTallyfyTarget } from './tallyfy-target.ts';

let tf: TallyfyDouble;
const client = (extra: Partial<TallyfyClientOptions> = {}) => createTallyfyClient({
  baseUrl: tf.url, organizationId: tf.org, credentials: { kind: 'token', token: 'static-token' }, budgets: createBudgetRegistry(),
  limits: { requestsPerMinute: 600_000 }, ...extra,
});

beforeEach(async () => { tf = await startTallyfyDouble({ clientId: 'app', clientSecret: 's3cret-value', tokenTtlSec: 3600, comments: { count: 3, windowMs: 600 } }); });
afterEach(async () => { await tf.close(); });

describe('Tallyfy client', () => {
  it('pages with per_page 100 until current_page >= total_pages', async () => {
    for (let i = 0; i < 250; i += 1) tf.state.users.push({ id: i + 1, email: `u${i}@x.test` });
    const c = client();
    expect(await c.listAll('/users')).toHaveLength(250);
    expect(c.stats().requests).toBe(3);
  });

  it('waits Retry-After on 429 and then succeeds', async () => {
    tf.fault({ method: 'GET', path: /\/groups$/, status: 429, headers: { 'retry-after': '1' }, body: { message: 'slow down', code: 'RATE_LIMIT_EXCEEDED' } });
    const c = client();
    const started = Date.now();
    await c.request('GET', '/groups');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(c.stats()).toMatchObject({ rateLimited: 1 });
  });

  it('retries 5xx for reads, not for creates (the writer looks before re-creating)', async () => {
    tf.fault({ method: 'GET', path: /\/groups$/, status: 503 });
    await client({ clock: { now: systemClock.now, sleep: () => Promise.resolve() } }).request('GET', '/groups');
    tf.fault({ method: 'POST', path: /\/groups$/, status: 503 });
    expect((await failureOf(client().request('POST', '/groups', { body: { name: 'x', description: '' } }))).kind).toBe('transient');
    expect(tf.state.groups).toHaveLength(0);
  });

  it('classifies 422 with the field messages, 404, 401 and 403', async () => {
    const c = client();
    const missing = await failureOf(c.request('POST', '/checklists/abc/steps', { body: {} }));
    expect(missing.kind).toBe('not_found');
    const bp = await c.request<{ data: { id: string } }>('POST', '/checklists', { body: { title: 'T', type: 'procedure' } });
    const v = await failureOf(c.request('POST', `/checklists/${bp.data.id}/steps`, { body: { summary: 'no title' } }));
    expect(v).toMatchObject({ kind: 'validation', status: 422, details: { fields: { title: ['The title field is required.'] } } });
    expect(v.message).toContain('title: The title field is required.');
    const bad = await failureOf(client({ credentials: { kind: 'token', token: 'not-a-token' } }).request('GET', '/users'));
    expect(bad.kind).toBe('auth');
    expect(bad.message).not.toContain('not-a-token');
    tf.fault({ method: 'GET', path: /\/runs$/, status: 403, body: { error: true, message: 'You do not have permission' } });
    expect((await failureOf(c.request('GET', '/runs'))).details).toMatchObject({ permission: true });
    tf.fault({ method: 'POST', path: /\/users\/invite$/, status: 409, body: { error: true, message: 'No seats left', code: 'SEAT_POOL_EXHAUSTED' } });
    expect((await failureOf(c.request('POST', '/users/invite', { body: {} }))).kind).toBe('quota_exceeded');
    // Whatever answered with a page instead of Tallyfy's JSON: its size is named, never its content.
    tf.fault({ method: 'GET', path: /\/groups$/, status: 400, body: '<html>internal-hostname.corp</html>' });
    const odd = await failureOf(c.request('GET', '/groups'));
    expect(odd.message).not.toContain('internal-hostname');
    expect(odd.message).toMatch(/bytes, not shown/);
  });

  it('fetches a client-credentials token once, refreshes it on 401 and at expiry', async () => {
    let now = Date.now();
    const clock = { now: () => now, sleep: systemClock.sleep };
    const c = client({ credentials: { kind: 'client_credentials', clientId: 'app', clientSecret: 's3cret-value' }, clock });
    await c.request('GET', '/users');
    await c.request('GET', '/users');
    expect(tf.stats.tokenFetches).toBe(1);
    tf.tokens.clear(); // revoked (its user logged out): 401, then one refresh
    await c.request('GET', '/users');
    expect(tf.stats.tokenFetches).toBe(2);
    now += 3_600_000;
    await c.request('GET', '/users');
    expect(tf.stats.tokenFetches).toBe(3);
    const wrong = await failureOf(client({ credentials: { kind: 'client_credentials', clientId: 'app', clientSecret: 'wrong-secret' } }).request('GET', '/users'));
    expect(wrong.kind).toBe('auth');
    expect(wrong.message).not.toContain('wrong-secret');
  });

  it('paces a burst of 5 comments under a cap of 3 per window: no 429', async () => {
    const c = client({ limits: { requestsPerMinute: 600_000, comments: { count: 3, windowMs: 600 } } });
    const bp = await c.request<{ data: { id: string } }>('POST', '/checklists', { body: { title: 'T', type: 'procedure' } });
    await c.request('POST', `/checklists/${bp.data.id}/steps`, { body: { title: 'S' } });
    const run = await c.request<{ data: { id: string } }>('POST', '/runs', { body: { checklist_id: bp.data.id, name: 'R' } });
    const task = (await c.request<{ data: Array<{ id: string }> }>('GET', `/runs/${run.data.id}/tasks`, { query: { without_pagination: 'true' } })).data[0];
    const started = Date.now();
    await Promise.all([1, 2, 3, 4, 5].map((i) => c.request('POST', `/tasks/${task?.id}/comment`, { body: { content: `c${i}` }, pace: 'comment' })));
    expect(tf.stats.tooMany).toBe(0);
    expect(tf.state.threads).toHaveLength(5);
    // Unpaced, the fourth would have been refused; paced, the fifth leaves more than a window after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
  });

  it('checkConnection: reachable, token accepted, organisation answering; a bad token says so', async () => {
    const ok = await createTallyfyTarget({ client: client(), idMap: createMemoryIdMap() }).checkConnection();
    expect(ok).toMatchObject({ reachable: true, tokenAccepted: true, organizationId: tf.org, identityCall: 'GET /users?per_page=1', users: 0, callsPerWrite: { comment: 3, member: 2 } });
    const bad = await createTallyfyTarget({ client: client({ credentials: { kind: 'token', token: 'nope-token' } }), idMap: createMemoryIdMap() }).checkConnection();
    expect(bad).toMatchObject({ reachable: true, tokenAccepted: false, error: { kind: 'auth' } });
  });
});
