import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, createTestApp, signJwt } from '../support/app.ts';
import { expectError, send } from './support/http.ts';
import { fillPath, isSecured } from './support/operations.ts';
import { createSecurityWorld, saveLogs, type SecurityWorld } from './support/world.ts';

// Every secured operation of the served OpenAPI document rejects callers without valid
// credentials with 401, whatever the path, before any validation or lookup.

let w: SecurityWorld;
let bad: { name: string; token: string | undefined }[];

beforeAll(async () => {
  w = await createSecurityWorld();
  const revoked = await createKey(w.t, w.a.tenant.id, 'engineer');
  const del = await send(w.t, 'DELETE', `/v1/api-keys/${revoked.id}`, { token: w.t.adminKey });
  expect(del.status, del.label).toBe(200);
  const claims = { sub: 'sec-user', role: 'engineer', tenant_id: w.a.tenant.id };
  const past = Math.floor(Date.now() / 1000) - 120;
  bad = [
    { name: 'no credentials', token: undefined },
    { name: 'empty bearer', token: '' },
    { name: 'garbage', token: 'not-a-key-or-token' },
    { name: 'garbage JWT', token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA' },
    { name: 'unknown frt key', token: `frt_live_${'A'.repeat(32)}` },
    { name: 'revoked key', token: revoked.key },
    { name: 'expired JWT', token: await signJwt(w.t, claims, { expiresAt: past }) },
    { name: 'wrong-audience JWT', token: await signJwt(w.t, claims, { audience: 'not-freight' }) },
    { name: 'wrong-secret JWT', token: await signJwt(w.t, claims, { secret: 'some-other-secret-of-sufficient-length-123' }) },
    { name: 'wrong-audience admin JWT', token: await signJwt(w.t, { sub: 'sec-admin', role: 'admin' }, { audience: 'not-freight' }) },
    { name: 'JWT of an unknown tenant', token: await signJwt(w.t, { ...claims, tenant_id: randomUUID() }) },
  ];
});

afterAll(async () => {
  if (!w) return;
  await w.close();
  const logs = saveLogs(w.t, 'authn');
  for (const s of [...w.a.secrets, ...w.b.secrets]) expect(logs).not.toContain(s);
});

describe('authentication on every secured operation', () => {
  it('a valid JWT is accepted (the control: the 401s below are about the credentials)', async () => {
    const ok = await send(w.t, 'GET', '/v1/me', { token: await signJwt(w.t, { sub: 'sec-user', role: 'engineer', tenant_id: w.a.tenant.id }) });
    expect(ok.status, ok.label).toBe(200);
  });

  it('answers 401 with the uniform body to missing, revoked, expired, forged and wrong-audience credentials', async () => {
    const secured = w.ops.filter(isSecured);
    expect(secured.length).toBeGreaterThanOrEqual(20);
    for (const op of secured) {
      const path = fillPath(op, w.a.ids, () => randomUUID());
      for (const { token } of bad) {
        const a = await send(w.t, op.method, path, { token, ...(op.body ? { body: '{}' } : {}) });
        expectError(a, 401, 'unauthorized');
        expect(a.headers.get('www-authenticate'), a.label).toMatch(/^Bearer/);
      }
    }
  });

  it('GET /metrics (tenant slugs in its labels) takes FREIGHT_METRICS_TOKEN when one is set', async () => {
    const token = `metrics-${randomUUID()}`;
    const t = await createTestApp({ config: { metrics: { ...w.t.ctx.config.metrics, token } } });
    if (!w.ops.some((op) => op.label === 'GET /metrics')) return;
    for (const bad of [undefined, 'wrong', w.t.adminKey, w.a.engineer]) expectError(await send(t, 'GET', '/metrics', { token: bad }), 401, 'unauthorized');
    expect((await send(t, 'GET', '/metrics', { token })).status).toBe(200);
  });

  it('public operations are only the documented ones', () => {
    const open = w.ops.filter((op) => !isSecured(op)).map((op) => op.label);
    // Anything else without `security` would be an unauthenticated door: list it here on purpose.
    const allowed = [/^GET \/health$/, /^GET \/ready$/, /^GET \/metrics$/];
    for (const label of open) expect(allowed.some((r) => r.test(label)), `${label} is public`).toBe(true);
  });
});
