import { beforeAll, describe, expect, it } from 'vitest';
import { createConnection } from './support/jobs.ts';
import { createKey, createTenant, createTestApp, errorBody, type TestApp } from './support/app.ts';

// GET /v1/audit (a tenant's own trail, engineers and viewers) and GET /v1/admin/audit (every tenant),
// with the actor / action / time filters and keyset pagination.
interface Entry {
  id: string; tenantId: string | null; actor: { type: string; id: string; role: string }; action: string;
  target: { type: string; id: string } | null; requestId: string | null; occurredAt: string;
}
interface Page { data: Entry[]; nextCursor: string | null }

let t: TestApp;
let a: { id: string; engineer: { id: string; key: string }; viewer: { id: string; key: string }; connections: string[] };
let b: { id: string; engineer: { id: string; key: string } };

async function page(url: string, token?: string): Promise<Page> {
  const res = await t.call('GET', url, token ? { token } : {});
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Page;
}

beforeAll(async () => {
  t = await createTestApp();
  const [ta, tb] = await Promise.all([createTenant(t), createTenant(t)]);
  const [engineer, viewer, engineerB] = await Promise.all([createKey(t, ta.id, 'engineer'), createKey(t, ta.id, 'viewer'), createKey(t, tb.id, 'engineer')]);
  const connections: string[] = [];
  for (let i = 0; i < 5; i += 1) connections.push((await createConnection(t, engineer.key, i % 2 ? 'attio' : 'affinity')).id);
  expect((await t.call('DELETE', `/v1/connections/${connections[0]}`, { token: engineer.key })).status).toBe(204);
  await createConnection(t, engineerB.key, 'attio');
  a = { id: ta.id, engineer, viewer, connections };
  b = { id: tb.id, engineer: engineerB };
});

describe('GET /v1/audit', () => {
  it("lists only the caller's tenant, newest first, to engineers and viewers", async () => {
    const mine = await page('/v1/audit', a.viewer.key);
    expect(mine.data.length).toBeGreaterThanOrEqual(10);
    expect(mine.data.every((e) => e.tenantId === a.id)).toBe(true);
    const times = mine.data.map((e) => Date.parse(e.occurredAt));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    expect(mine.data[0]).toMatchObject({ action: 'connection.delete', actor: { type: 'api_key', id: a.engineer.id, role: 'engineer' }, target: { type: 'connection', id: a.connections[0] } });
    expect(mine.data[0]?.requestId).toMatch(/.+/);
    const actions = new Set(mine.data.map((e) => e.action));
    expect([...actions].sort()).toEqual(['api_key.create', 'connection.create', 'connection.delete', 'tenant.activate', 'tenant.create']);
    const theirs = await page('/v1/audit', b.engineer.key);
    expect(theirs.data.every((e) => e.tenantId === b.id)).toBe(true);
    expect(theirs.data.some((e) => e.target?.id === a.connections[1])).toBe(false);
  });

  it('filters by action (exact or prefix.*), by actor (id or type:id) and by time', async () => {
    const exact = await page('/v1/audit?action=connection.create', a.engineer.key);
    expect(exact.data.map((e) => e.target?.id).sort()).toEqual([...a.connections].sort());
    const prefix = await page('/v1/audit?action=connection.*', a.engineer.key);
    expect(prefix.data).toHaveLength(6);
    const byActor = await page(`/v1/audit?actor=api_key:${a.engineer.id}`, a.engineer.key);
    expect(byActor.data).toHaveLength(6);
    expect((await page(`/v1/audit?actor=${a.engineer.id}`, a.engineer.key)).data).toHaveLength(6);
    expect((await page(`/v1/audit?actor=jwt:${a.engineer.id}`, a.engineer.key)).data).toHaveLength(0);
    const admin = await page('/v1/audit?actor=admin_env:bootstrap-admin-key', a.engineer.key);
    expect(admin.data.map((e) => e.action).sort()).toEqual(['api_key.create', 'api_key.create', 'tenant.activate', 'tenant.create']);

    const newest = exact.data[0]?.occurredAt ?? '';
    const to = await page(`/v1/audit?action=connection.create&to=${encodeURIComponent(newest)}`, a.engineer.key);
    expect(to.data.every((e) => e.occurredAt < newest)).toBe(true);
    const from = await page(`/v1/audit?action=connection.create&from=${encodeURIComponent(newest)}`, a.engineer.key);
    expect(from.data.every((e) => e.occurredAt >= newest)).toBe(true);
    expect(to.data.length + from.data.length).toBe(5);
    expect((await page('/v1/audit?from=2999-01-01T00:00:00Z', a.engineer.key)).data).toHaveLength(0);
  });

  it('pages with a keyset cursor: no row twice, none skipped', async () => {
    const all = await page('/v1/audit?limit=500', a.engineer.key);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const p: Page = await page(`/v1/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`, a.engineer.key);
      expect(p.data.length).toBeLessThanOrEqual(3);
      seen.push(...p.data.map((e) => e.id));
      cursor = p.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.data.map((e) => e.id));
  });

  it('rejects bad cursors and times with 400, and admins with 403 (they read /v1/admin/audit)', async () => {
    const bad = await t.call('GET', '/v1/audit?cursor=nope', { token: a.engineer.key });
    expect(bad.status).toBe(400);
    expect((await errorBody(bad)).code).toBe('validation_failed');
    expect((await t.call('GET', '/v1/audit?from=yesterday', { token: a.engineer.key })).status).toBe(400);
    // Date.parse would take these; the document says RFC 3339 date-time, and so does the server.
    for (const bad of ['0.5', '2021-02-30T00:00:00Z', '2026-01-01']) {
      expect((await t.call('GET', `/v1/audit?to=${encodeURIComponent(bad)}`, { token: a.engineer.key })).status, bad).toBe(400);
    }
    // Valid RFC 3339 outside PostgreSQL's years: no entry lies there, so an answer, not an error.
    expect((await t.call('GET', `/v1/audit?to=${encodeURIComponent('0000-01-01T00:00:00Z')}`, { token: a.engineer.key })).status).toBe(200);
    expect((await t.call('GET', `/v1/audit?from=${encodeURIComponent('9999-12-31T23:59:60-14:00')}`, { token: a.engineer.key })).status).toBe(200);
    expect((await t.call('GET', '/v1/audit')).status).toBe(403);
  });
});

describe('GET /v1/admin/audit', () => {
  it('reads every tenant, filters by tenantId, and audits the read itself', async () => {
    const both = await page('/v1/admin/audit?action=connection.create&limit=500');
    const tenants = new Set(both.data.map((e) => e.tenantId));
    expect(tenants.has(a.id) && tenants.has(b.id)).toBe(true);
    const onlyB = await page(`/v1/admin/audit?tenantId=${b.id}`);
    expect(onlyB.data.length).toBeGreaterThan(0);
    expect(onlyB.data.every((e) => e.tenantId === b.id)).toBe(true);
    const res = await t.call('GET', '/v1/admin/audit?action=admin.scope&limit=5');
    const reads = (await res.json()) as Page;
    expect(reads.data.some((e) => e.requestId === res.headers.get('x-request-id') && e.tenantId === null)).toBe(true);
  });

  it('is for admins only', async () => {
    expect((await t.call('GET', '/v1/admin/audit', { token: a.engineer.key })).status).toBe(403);
    expect((await t.call('GET', '/v1/admin/audit', { token: a.viewer.key })).status).toBe(403);
  });
});
