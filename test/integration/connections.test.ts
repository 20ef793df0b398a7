import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectionService } from '../../shared/connections/connections.ts';
import { createSecretBox } from '../../shared/crypto/secret-box.ts';
import { withTenant } from '../../shared/db/scope.ts';
import { createTestApp, errorBody, type TestApp } from './support/app.ts';
import { auditRows, cleanUpJobs, createConnection, insertJob, tenantWithConnections, type TenantFixture } from './support/jobs.ts';

// Connections through the API on the real stack: secrets sealed at rest and never returned, roles,
// tenant isolation, validation, soft delete. Every secret minted here is searched for in the logs.
let t: TestApp;
let a: TenantFixture;
let b: TenantFixture;
const secrets: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  [a, b] = await Promise.all([tenantWithConnections(t), tenantWithConnections(t)]);
});

afterAll(async () => {
  await cleanUpJobs(t, [a, b]);
  if (!t) return;
  const logs = t.logs.join('\n');
  for (const secret of secrets) expect(logs).not.toContain(secret);
});

async function expectError(res: Response, status: number, code: string): Promise<{ message: string; details?: unknown }> {
  expect(res.status, await res.clone().text()).toBe(status);
  const error = await errorBody(res);
  expect(error.code).toBe(code);
  return error;
}

const countConnections = (f: TenantFixture) =>
  withTenant(t.ctx.sql, f.tenant.id, async (tx) => (await tx<{ n: number }[]>`select count(*)::int as n from freight.connections`)[0]?.n);

describe('creating a connection', () => {
  it('returns it without credentials and stores the secret encrypted', async () => {
    const apiKey = `affinity-secret-${randomUUID()}`;
    secrets.push(apiKey);
    const res = await t.call('POST', '/v1/connections', {
      token: a.engineer, body: { name: 'Acme Affinity', type: 'affinity', baseUrl: 'https://api.affinity.co/', credentials: { apiKey } },
    });
    const text = await res.clone().text();
    expect(res.status, text).toBe(201);
    expect(text).not.toContain(apiKey);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['baseUrl', 'createdAt', 'id', 'name', 'type']);
    expect(body).toMatchObject({ name: 'Acme Affinity', type: 'affinity', baseUrl: 'https://api.affinity.co' });
    const id = body.id as string;

    const [row] = await withTenant(t.ctx.ownerSql, a.tenant.id, (tx) => tx<{ secret_ciphertext: Buffer; secret_iv: Buffer; secret_tag: Buffer; key_id: string; whole: string }[]>`
      select secret_ciphertext, secret_iv, secret_tag, key_id, row_to_json(c)::text as whole from freight.connections c where id = ${id}`);
    if (!row) throw new Error('connection row missing');
    expect(row.key_id).toBe(t.ctx.config.encryptionKeys[0]?.id);
    expect(row.secret_iv).toHaveLength(12);
    expect(row.secret_tag).toHaveLength(16);
    for (const bytes of [row.secret_ciphertext, row.secret_iv, row.secret_tag]) {
      expect(bytes.includes(Buffer.from(apiKey))).toBe(false);
    }
    expect(row.whole).not.toContain(apiKey);
    expect(row.whole).not.toContain(Buffer.from(apiKey).toString('hex'));

    const audit = await auditRows(t, a.tenant.id, id);
    expect(audit).toEqual([expect.objectContaining({ action: 'connection.create', actor_role: 'engineer' })]);
    expect(JSON.stringify(audit)).not.toContain(apiKey);

    for (const path of ['/v1/connections', `/v1/connections/${id}`]) {
      const read = await t.call('GET', path, { token: a.viewer });
      expect(read.status).toBe(200);
      expect(await read.text()).not.toContain(apiKey);
    }
  });

  it('decrypts for the worker through getCredentials, bound to its tenant and row', async () => {
    const apiKey = `attio-secret-${randomUUID()}`;
    secrets.push(apiKey);
    const { id } = await createConnection(t, a.engineer, 'attio', apiKey);
    // The worker builds the service itself, from its own pool and the configured keys.
    const service = createConnectionService({ sql: t.ctx.sql, secretBox: createSecretBox(t.ctx.config.encryptionKeys) });
    expect(await service.getCredentials(a.tenant.id, id)).toEqual({ type: 'attio', baseUrl: 'http://127.0.0.1:9/attio', apiKey });
    await expect(service.getCredentials(b.tenant.id, id)).rejects.toMatchObject({ status: 404 });
    await expect(service.getCredentials(a.tenant.id, randomUUID())).rejects.toMatchObject({ status: 404 });

    // The same ciphertext copied into another row does not open there.
    await withTenant(t.ctx.ownerSql, a.tenant.id, (tx) => tx`
      update freight.connections c set secret_ciphertext = s.secret_ciphertext, secret_iv = s.secret_iv, secret_tag = s.secret_tag
      from freight.connections s where c.id = ${a.attioId} and s.id = ${id}`);
    const err = await service.getCredentials(a.tenant.id, a.attioId).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/cannot be decrypted/);
    expect((err as Error).message).not.toContain(apiKey);
  });

  it('is refused to viewers and admins', async () => {
    const body = { name: 'x', type: 'attio', baseUrl: 'https://api.attio.com', credentials: { apiKey: 'k' } };
    await expectError(await t.call('POST', '/v1/connections', { token: a.viewer, body }), 403, 'forbidden');
    await expectError(await t.call('POST', '/v1/connections', { body }), 403, 'forbidden');
    await expectError(await t.call('GET', '/v1/connections'), 403, 'forbidden');
  });

  it('validates the body and creates nothing when it is wrong, never echoing the secret', async () => {
    const before = await countConnections(a);
    const apiKey = `never-echoed-${randomUUID()}`;
    secrets.push(apiKey);
    const good = { name: 'ok', type: 'attio', baseUrl: 'https://api.attio.com', credentials: { apiKey } };
    const bad: Record<string, unknown>[] = [
      { ...good, type: 'salesforce' },
      { ...good, baseUrl: 'ftp://files.example' },
      { ...good, baseUrl: `https://user:${apiKey}@api.attio.com` },
      { ...good, baseUrl: 'not a url' },
      { ...good, credentials: { apiKey, extra: apiKey } },
      { ...good, credentials: {} },
      { ...good, credentials: apiKey },
      { ...good, name: '' },
      { ...good, unexpected: true },
      { name: 'only a name' },
    ];
    for (const body of bad) {
      const res = await t.call('POST', '/v1/connections', { token: a.engineer, body });
      expect(await res.clone().text()).not.toContain(apiKey);
      await expectError(res, 400, 'validation_failed');
    }
    expect(await countConnections(a)).toBe(before);
  });

  it('replaces credentials only with the shape of the connection\'s own type, never echoing them', async () => {
    const created = await t.call('POST', '/v1/connections', {
      token: a.engineer, body: { name: 'rotating', type: 'attio', baseUrl: 'https://api.attio.com', credentials: { apiKey: 'first' } },
    });
    const { id } = (await created.json()) as { id: string };
    const token = `never-echoed-${randomUUID()}`;
    secrets.push(token);
    // A Tallyfy token is a valid credential shape, but not an Attio one: only the stored type makes it wrong.
    const other = await t.call('PATCH', `/v1/connections/${id}`, { token: a.engineer, body: { credentials: { token } } });
    expect(await other.clone().text()).not.toContain(token);
    await expectError(other, 422, 'credentials_mismatch');
    await expectError(await t.call('PATCH', `/v1/connections/${id}`, { token: a.engineer, body: { credentials: {} } }), 400, 'validation_failed');
    const ok = await t.call('PATCH', `/v1/connections/${id}`, { token: a.engineer, body: { credentials: { apiKey: token } } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).not.toContain(token);
  });

  it('answers 503 encryption_not_configured when the server has no key', async () => {
    const keyless = await createTestApp({ secretBox: null });
    const res = await keyless.call('POST', '/v1/connections', {
      token: a.engineer, body: { name: 'x', type: 'attio', baseUrl: 'https://api.attio.com', credentials: { apiKey: 'k' } },
    });
    await expectError(res, 503, 'encryption_not_configured');
    expect((await keyless.call('GET', '/v1/connections', { token: a.viewer })).status).toBe(200);
  });
});

describe('reading connections', () => {
  it('lists newest first in keyset pages, only the own tenant', async () => {
    const f = await tenantWithConnections(t);
    const third = await createConnection(t, f.engineer, 'attio');
    const first = await t.call('GET', '/v1/connections?limit=2', { token: f.viewer });
    const page1 = (await first.json()) as { data: { id: string }[]; nextCursor: string | null };
    expect(page1.data).toHaveLength(2);
    expect(page1.data[0]?.id).toBe(third.id);
    expect(page1.nextCursor).not.toBeNull();
    const second = await t.call('GET', `/v1/connections?limit=2&cursor=${page1.nextCursor}`, { token: f.viewer });
    const page2 = (await second.json()) as { data: { id: string }[]; nextCursor: string | null };
    expect(page2.nextCursor).toBeNull();
    expect(new Set([...page1.data, ...page2.data].map((c) => c.id))).toEqual(new Set([third.id, f.affinityId, f.attioId]));
    await expectError(await t.call('GET', '/v1/connections?cursor=bogus', { token: f.viewer }), 400, 'validation_failed');
  });

  it("answers 404 for another tenant's connection", async () => {
    await expectError(await t.call('GET', `/v1/connections/${b.affinityId}`, { token: a.viewer }), 404, 'not_found');
    await expectError(await t.call('DELETE', `/v1/connections/${b.affinityId}`, { token: a.engineer }), 404, 'not_found');
    await expectError(await t.call('GET', `/v1/connections/${randomUUID()}`, { token: a.viewer }), 404, 'not_found');
    expect((await t.call('GET', `/v1/connections/${b.affinityId}`, { token: b.viewer })).status).toBe(200);
  });
});

describe('deleting a connection', () => {
  it('is a soft delete, refused while an unfinished job uses it', async () => {
    const f = await tenantWithConnections(t);
    const jobId = await insertJob(t, f, { status: 'running' });
    const blocked = await expectError(await t.call('DELETE', `/v1/connections/${f.affinityId}`, { token: f.engineer }), 409, 'conflict');
    expect(blocked.details).toMatchObject({ jobId, status: 'running' });
    await expectError(await t.call('DELETE', `/v1/connections/${f.affinityId}`, { token: f.viewer }), 403, 'forbidden');

    await withTenant(t.ctx.ownerSql, f.tenant.id, (tx) => tx`update freight.jobs set status = 'completed' where id = ${jobId}`);
    const res = await t.call('DELETE', `/v1/connections/${f.affinityId}`, { token: f.engineer });
    expect(res.status).toBe(204);
    await expectError(await t.call('GET', `/v1/connections/${f.affinityId}`, { token: f.viewer }), 404, 'not_found');
    await expectError(await t.call('DELETE', `/v1/connections/${f.affinityId}`, { token: f.engineer }), 404, 'not_found');
    const list = (await (await t.call('GET', '/v1/connections', { token: f.viewer })).json()) as { data: { id: string }[] };
    expect(list.data.map((c) => c.id)).toEqual([f.attioId]);
    // The row stays (jobs refer to it), marked deleted.
    const [row] = await withTenant(t.ctx.sql, f.tenant.id, (tx) => tx<{ deleted_at: Date | null }[]>`select deleted_at from freight.connections where id = ${f.affinityId}`);
    expect(row?.deleted_at).toBeInstanceOf(Date);
    expect((await auditRows(t, f.tenant.id, f.affinityId)).map((r) => r.action)).toEqual(['connection.create', 'connection.delete']);
  });
});
