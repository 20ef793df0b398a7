import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../../shared/db/scope.ts';
import { createTestApp, errorBody, type TestApp } from '../support/app.ts';
import { auditRows, cleanUpJobs, tenantWithConnections, type TenantFixture } from '../support/jobs.ts';

// The webhook routes on the real stack: the secret shown once and sealed at rest, roles, tenant
// isolation, the uniform error body, and the outbound policy at creation (internal addresses 422).
let t: TestApp;
let a: TenantFixture;
let b: TenantFixture;
const RECEIVER = 'http://127.0.0.1:9/hook'; // allow-listed on the test stack (127.0.0.1:*), as the sandboxes are

beforeAll(async () => {
  // A name the test resolves itself: one pointing at a private address, one at a public one.
  t = await createTestApp({
    webhookLookup: async (host) => (host === 'internal.example.com' ? [{ address: '93.184.216.34' }, { address: '10.0.0.7' }] : [{ address: '93.184.216.34' }]),
  });
  [a, b] = await Promise.all([tenantWithConnections(t), tenantWithConnections(t)]);
});

afterAll(async () => {
  await cleanUpJobs(t, [a, b]);
});

const countEndpoints = (f: TenantFixture) =>
  withTenant(t.ctx.sql, f.tenant.id, async (tx) => (await tx<{ n: number }[]>`select count(*)::int as n from freight.webhook_endpoints`)[0]?.n);

async function expectError(res: Response, status: number, code: string): Promise<{ message: string; details?: unknown }> {
  expect(res.status, await res.clone().text()).toBe(status);
  const error = await errorBody(res);
  expect(error.code).toBe(code);
  return error;
}

describe('webhook endpoints', () => {
  it('returns the signing secret once, then only its prefix; seals it at rest; audits', async () => {
    const res = await t.call('POST', '/v1/webhooks', {
      token: a.engineer, body: { url: RECEIVER, events: ['job.status_changed', 'batch.failed'], description: 'ops channel' },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const created = (await res.json()) as { id: string; secret: string; secretPrefix: string; format: string; events: string[] };
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.secretPrefix).toBe(created.secret.slice(0, 12));
    expect(created).toMatchObject({ format: 'freight', events: ['job.status_changed', 'batch.failed'], url: RECEIVER, disabledAt: null });

    for (const [path, token] of [[`/v1/webhooks/${created.id}`, a.viewer], ['/v1/webhooks', a.viewer], [`/v1/webhooks/${created.id}/deliveries`, a.engineer]] as const) {
      const read = await t.call('GET', path, { token });
      expect(read.status).toBe(200);
      const text = await read.text();
      expect(text).not.toContain(created.secret);
      if (!path.endsWith('deliveries')) expect(text).toContain(created.secretPrefix);
    }
    const [row] = await withTenant(t.ctx.ownerSql, a.tenant.id, (tx) => tx<{ whole: string; ct: Buffer }[]>`
      select row_to_json(w)::text as whole, secret_ciphertext as ct from freight.webhook_endpoints w where id = ${created.id}`);
    expect(row?.whole).not.toContain(created.secret.slice(12));
    expect(row?.ct.includes(Buffer.from(created.secret))).toBe(false);
    const audit = await auditRows(t, a.tenant.id, created.id);
    expect(audit).toEqual([expect.objectContaining({ action: 'webhook.create', actor_role: 'engineer' })]);
    expect(JSON.stringify(audit)).not.toContain(created.secret.slice(12));
    expect(t.logs.join('\n')).not.toContain(created.secret.slice(12));

    await expectError(await t.call('POST', '/v1/webhooks', { token: a.viewer, body: { url: RECEIVER, events: ['batch.failed'] } }), 403, 'forbidden');
    expect((await t.call('DELETE', `/v1/webhooks/${created.id}`, { token: a.engineer })).status).toBe(204);
    await expectError(await t.call('GET', `/v1/webhooks/${created.id}`, { token: a.engineer }), 404, 'not_found');
    expect((await auditRows(t, a.tenant.id, created.id)).map((r) => r.action)).toEqual(['webhook.create', 'webhook.delete']);
  });

  it('answers malformed input with the uniform 400 body, naming each field', async () => {
    const before = await countEndpoints(a);
    for (const body of [
      { url: RECEIVER, events: ['job.exploded'] }, { url: RECEIVER, events: [] }, { events: ['batch.failed'] },
      { url: RECEIVER, events: ['batch.failed'], format: 'teams' }, { url: RECEIVER, events: ['batch.failed'], secret: 'mine' },
    ]) {
      const error = await expectError(await t.call('POST', '/v1/webhooks', { token: a.engineer, body }), 400, 'validation_failed');
      expect(error.details, JSON.stringify(body)).toBeInstanceOf(Array);
    }
    expect(await countEndpoints(a)).toBe(before);
  });

  it.each([
    ['https://169.254.169.254/latest/meta-data', 'link-local'], ['http://10.0.0.5/hook', 'private'], ['https://[::1]:8443/', 'loopback'],
    ['https://0x7f000002/', 'loopback'], ['https://localhost/hook', 'not a public host name'], ['http://hooks.example.com/', 'https'],
    ['https://internal.example.com/hook', 'resolves to a private address'], ['http://127.0.0.2:9/hook', 'loopback'],
  ])('refuses %s with 422 webhook_url_refused and stores nothing', async (url, why) => {
    const before = await countEndpoints(a);
    const error = await expectError(await t.call('POST', '/v1/webhooks', { token: a.engineer, body: { url, events: ['batch.failed'] } }), 422, 'webhook_url_refused');
    expect(error.message).toContain(why);
    expect(error.details).toEqual([{ path: ['url'], message: expect.stringContaining(why) }]);
    expect(await countEndpoints(a)).toBe(before);
  });

  it("answers 404 for another tenant's webhook on every route, and leaves it untouched", async () => {
    const res = await t.call('POST', '/v1/webhooks', { token: a.engineer, body: { url: 'https://hooks.example.com/a', events: ['job.status_changed'] } });
    expect(res.status, await res.clone().text()).toBe(201);
    const { id } = (await res.json()) as { id: string };
    for (const [method, path] of [['GET', `/v1/webhooks/${id}`], ['DELETE', `/v1/webhooks/${id}`], ['GET', `/v1/webhooks/${id}/deliveries`], ['POST', `/v1/webhooks/${id}/test`]] as const) {
      await expectError(await t.call(method, path, { token: b.engineer }), 404, 'not_found');
    }
    const listed = (await (await t.call('GET', '/v1/webhooks', { token: b.viewer })).json()) as { data: unknown[] };
    expect(listed.data).toEqual([]);
    expect((await t.call('GET', `/v1/webhooks/${id}`, { token: a.viewer })).status).toBe(200);
    const deliveries = await withTenant(t.ctx.ownerSql, a.tenant.id, (tx) => tx`select 1 from freight.webhook_deliveries where endpoint_id = ${id}`);
    expect(deliveries).toHaveLength(0);
  });
});
