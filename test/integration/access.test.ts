import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../shared/auth/api-key.ts';
import { withTenant } from '../../shared/db/scope.ts';
import type { Tenant } from '../../shared/tenancy/tenant-model.ts';
import { createKey, createTenant, createTestApp, errorBody, signJwt, type TestApp } from './support/app.ts';

// Authentication, roles, tenant isolation through the API, audit rows and log hygiene, all on the
// real stack. Every secret minted here is collected and searched for in the captured logs at the end.
let t: TestApp;
let a: Tenant;
let b: Tenant;
let engineerA: string;
let viewerA: string;
let engineerB: { id: string; key: string };
const secrets: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  [a, b] = await Promise.all([createTenant(t), createTenant(t)]);
  engineerA = (await createKey(t, a.id, 'engineer')).key;
  viewerA = (await createKey(t, a.id, 'viewer')).key;
  engineerB = await createKey(t, b.id, 'engineer');
  secrets.push(engineerA, viewerA, engineerB.key, t.adminKey, t.ctx.config.auth.jwtSecret ?? '');
});

async function expectStatus(res: Response, status: number, code?: string): Promise<void> {
  const text = await res.clone().text();
  expect(res.status, text).toBe(status);
  if (code) expect((await errorBody(res)).code).toBe(code);
}

describe('API keys', () => {
  it('authenticate their tenant and role', async () => {
    const res = await t.call('GET', '/v1/me', { token: engineerA });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ actorType: 'api_key', role: 'engineer', tenantId: a.id, tenant: { slug: a.slug, status: 'active' } });
  });

  it('reject wrong, malformed and revoked keys with 401', async () => {
    const unknown = generateApiKey('live').plaintext;
    const samePrefixWrongSecret = `${engineerA.slice(0, 17)}${generateApiKey('live').plaintext.slice(17)}`;
    for (const token of [unknown, samePrefixWrongSecret, 'frt_live_123', `${engineerA}x`, engineerA.replace('frt_live_', 'frt_test_')]) {
      await expectStatus(await t.call('GET', '/v1/me', { token }), 401, 'unauthorized');
    }
    const doomed = await createKey(t, a.id, 'viewer');
    secrets.push(doomed.key);
    await expectStatus(await t.call('GET', '/v1/me', { token: doomed.key }), 200);
    await expectStatus(await t.call('DELETE', `/v1/api-keys/${doomed.id}`), 200);
    const res = await t.call('GET', '/v1/me', { token: doomed.key });
    await expectStatus(res.clone(), 401);
    expect((await errorBody(res)).message).toMatch(/revoked/);
  });

  it('record last use, at most once a minute', async () => {
    const key = await createKey(t, a.id, 'viewer');
    secrets.push(key.key);
    await t.call('GET', '/v1/me', { token: key.key });
    const read = () => withTenant(t.ctx.sql, a.id, (tx) => tx<{ last_used_at: Date | null }[]>`select last_used_at from freight.api_keys where id = ${key.id}`);
    await expect.poll(async () => (await read())[0]?.last_used_at, { timeout: 5_000 }).not.toBeNull();
    const first = (await read())[0]?.last_used_at;
    await t.call('GET', '/v1/me', { token: key.key });
    await new Promise((r) => setTimeout(r, 200));
    expect((await read())[0]?.last_used_at).toEqual(first);
  });

  it('are listed without secrets, and shown in full only at creation', async () => {
    const res = await t.call('GET', `/v1/tenants/${a.id}/api-keys`, { token: engineerA });
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const secret of secrets) expect(text).not.toContain(secret);
    const { data } = JSON.parse(text) as { data: Record<string, unknown>[] };
    expect(data.length).toBeGreaterThanOrEqual(2);
    for (const key of data) {
      expect(Object.keys(key)).not.toEqual(expect.arrayContaining(['key']));
      expect(Object.keys(key).some((k) => /hash|secret/i.test(k))).toBe(false);
    }
  });
});

describe('JWTs', () => {
  const claims = () => ({ sub: 'jwt-user', role: 'engineer', tenant_id: a.id });

  it('authenticate with a valid HS256 token', async () => {
    const token = await signJwt(t, claims());
    secrets.push(token);
    const res = await t.call('GET', '/v1/me', { token });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ actorType: 'jwt', actorId: 'jwt-user', role: 'engineer', tenantId: a.id });
  });

  it('reject bad signature, alg none, wrong audience, expiry and unknown tenants with 401', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const exp = Math.floor(Date.now() / 1000) + 300;
    const tokens = [
      await signJwt(t, claims(), { secret: 'an-attacker-chosen-secret-of-sufficient-length' }),
      `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims(), aud: t.ctx.config.auth.jwtAudience, exp })}.`,
      await signJwt(t, claims(), { audience: 'not-freight' }),
      await signJwt(t, claims(), { expiresAt: Math.floor(Date.now() / 1000) - 120 }),
      await signJwt(t, { ...claims(), tenant_id: randomUUID() }),
      await signJwt(t, { ...claims(), role: 'superuser' }),
    ];
    for (const token of tokens) await expectStatus(await t.call('GET', '/v1/me', { token }), 401, 'unauthorized');
  });
});

describe('roles', () => {
  it('viewers cannot write', async () => {
    await expectStatus(await t.call('POST', `/v1/tenants/${a.id}/api-keys`, { token: viewerA, body: { role: 'viewer' } }), 403, 'forbidden');
    await expectStatus(await t.call('DELETE', `/v1/api-keys/${engineerB.id}`, { token: viewerA }), 403, 'forbidden');
    await expectStatus(await t.call('POST', '/v1/tenants', { token: viewerA, body: { slug: 'nope', name: 'Nope' } }), 403, 'forbidden');
    await expectStatus(await t.call('GET', `/v1/tenants/${a.id}/api-keys`, { token: viewerA }), 403, 'forbidden');
    await expectStatus(await t.call('GET', `/v1/tenants/${a.id}`, { token: viewerA }), 200);
  });

  it('engineers cannot create or list tenants, nor mint keys', async () => {
    await expectStatus(await t.call('POST', '/v1/tenants', { token: engineerA, body: { slug: 'nope', name: 'Nope' } }), 403, 'forbidden');
    await expectStatus(await t.call('GET', '/v1/tenants', { token: engineerA }), 403, 'forbidden');
    await expectStatus(await t.call('POST', `/v1/tenants/${a.id}/api-keys`, { token: engineerA, body: { role: 'viewer' } }), 403, 'forbidden');
  });

  it('a JWT viewer is held to the same rules', async () => {
    const token = await signJwt(t, { sub: 'v', role: 'viewer', tenant_id: a.id });
    await expectStatus(await t.call('POST', '/v1/tenants', { token, body: { slug: 'nope', name: 'Nope' } }), 403, 'forbidden');
  });

  it('engineers revoke keys of their own tenant', async () => {
    const key = await createKey(t, a.id, 'viewer');
    secrets.push(key.key);
    const res = await t.call('DELETE', `/v1/api-keys/${key.id}`, { token: engineerA });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: key.id, revokedAt: expect.any(String) });
    // Idempotent.
    expect((await t.call('DELETE', `/v1/api-keys/${key.id}`, { token: engineerA })).status).toBe(200);
  });
});

describe("another tenant's objects", () => {
  it('answer 404, never 403 and never data', async () => {
    for (const [method, path] of [
      ['GET', `/v1/tenants/${b.id}`],
      ['GET', `/v1/tenants/${b.id}/api-keys`],
      ['DELETE', `/v1/api-keys/${engineerB.id}`],
    ] as const) {
      const res = await t.call(method, path, { token: engineerA });
      await expectStatus(res.clone(), 404, 'not_found');
      const text = await res.text();
      expect(text).not.toContain(b.slug);
    }
    const fromJwt = await signJwt(t, { sub: 'x', role: 'engineer', tenant_id: a.id });
    await expectStatus(await t.call('GET', `/v1/tenants/${b.id}`, { token: fromJwt }), 404, 'not_found');
    // The same answer as for an id that exists nowhere.
    await expectStatus(await t.call('GET', `/v1/tenants/${randomUUID()}`, { token: engineerA }), 404, 'not_found');
    // B's key was not touched.
    await expectStatus(await t.call('GET', '/v1/me', { token: engineerB.key }), 200);
  });
});

describe('rate limits', () => {
  it("apply per tenant, with the tenant's own limit overriding the default", async () => {
    const limited = await createTenant(t);
    const key = await createKey(t, limited.id, 'viewer');
    secrets.push(key.key);
    await withTenant(t.ctx.sql, limited.id, (tx) => tx`update freight.tenants set rate_limit_per_minute = 2 where id = ${limited.id}`);
    const app = await createTestApp();
    expect((await app.call('GET', '/v1/me', { token: key.key })).status).toBe(200);
    expect((await app.call('GET', '/v1/me', { token: key.key })).status).toBe(200);
    const res = await app.call('GET', '/v1/me', { token: key.key });
    await expectStatus(res.clone(), 429, 'rate_limited');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Other tenants are unaffected.
    expect((await app.call('GET', '/v1/me', { token: engineerA })).status).toBe(200);
  });

  it('apply per admin actor from configuration', async () => {
    const app = await createTestApp({ config: { ...t.ctx.config, rateLimit: { perMinute: 3, burst: 3 } } });
    for (let i = 0; i < 3; i++) expect((await app.call('GET', '/v1/me')).status).toBe(200);
    const res = await app.call('GET', '/v1/me');
    await expectStatus(res.clone(), 429, 'rate_limited');
    expect(res.headers.get('retry-after')).toBe('20');
  });
});

describe('audit trail', () => {
  it('records every state-changing call with actor, tenant, action, target and request id', async () => {
    const requestId = (name: string) => `audit-${name}-${randomUUID()}`;
    const ids = { tenant: requestId('tenant'), key: requestId('key'), revoke: requestId('revoke') };
    const tenantRes = await t.call('POST', '/v1/tenants', { body: { slug: `audit-${randomUUID().slice(0, 8)}`, name: 'Audited' }, headers: { 'x-request-id': ids.tenant } });
    const tenant = (await tenantRes.json()) as Tenant;
    const keyRes = await t.call('POST', `/v1/tenants/${tenant.id}/api-keys`, { body: { role: 'engineer' }, headers: { 'x-request-id': ids.key } });
    const key = (await keyRes.json()) as { id: string; key: string };
    secrets.push(key.key);
    const engineerToken = key.key;
    await t.call('DELETE', `/v1/api-keys/${key.id}`, { token: engineerToken, headers: { 'x-request-id': ids.revoke } });

    const rows = await withTenant(t.ctx.sql, tenant.id, (tx) => tx`
      select actor_type, actor_id, actor_role, action, target_type, target_id, request_id, tenant_id from freight.audit_events
      where request_id in ${tx(Object.values(ids))} order by id`);
    expect(rows).toEqual([
      expect.objectContaining({ action: 'tenant.create', actor_type: 'admin_env', actor_role: 'admin', target_type: 'tenant', target_id: tenant.id, request_id: ids.tenant, tenant_id: tenant.id }),
      expect.objectContaining({ action: 'tenant.activate', request_id: ids.tenant }),
      expect.objectContaining({ action: 'api_key.create', actor_type: 'admin_env', target_type: 'api_key', target_id: key.id, request_id: ids.key }),
      expect.objectContaining({ action: 'api_key.revoke', actor_type: 'api_key', actor_id: key.id, actor_role: 'engineer', target_id: key.id, request_id: ids.revoke }),
    ]);
  });

  it('does not record a failed change', async () => {
    const id = `audit-fail-${randomUUID()}`;
    await t.call('POST', `/v1/tenants/${a.id}/api-keys`, { token: viewerA, body: { role: 'viewer' }, headers: { 'x-request-id': id } });
    const rows = await withTenant(t.ctx.sql, a.id, (tx) => tx`select id from freight.audit_events where request_id = ${id}`);
    expect(rows).toHaveLength(0);
  });
});

describe('logs', () => {
  it('carry request id, method, path, status, duration and tenant for each request', async () => {
    await t.call('GET', '/v1/me', { token: engineerA, headers: { 'x-request-id': 'log-line-check' } });
    const line = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.requestId === 'log-line-check' && l.msg === 'request');
    expect(line).toMatchObject({ method: 'GET', path: '/v1/me', status: 200, tenantId: a.id, actorType: 'api_key', durationMs: expect.any(Number) });
  });

  it('never contain a key, token or secret', () => {
    expect(t.logs.length).toBeGreaterThan(10);
    const text = t.logs.join('');
    for (const secret of secrets.filter(Boolean)) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/frt_(live|test)_[0-9A-Za-z]{32}/);
    // Nothing even reached the scrubber: secrets are kept out of log calls, not just masked.
    expect(text).not.toContain('[REDACTED]');
  });
});
