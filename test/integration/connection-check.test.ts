import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionCheckResult } from '../../shared/connections/connection-check.ts';
import { withTenant } from '../../shared/db/scope.ts';
import { createEngineTenant, startSandboxes, testTaskQueue, type EngineTenant, type Sandboxes } from '../helpers/engine.ts';
import { createKey, errorBody } from './support/app.ts';
import { auditRows, cleanUpJobs, type TenantFixture } from './support/jobs.ts';

/**
 * POST /v1/connections/{id}/test and the check at job creation, through the API against the Affinity
 * and Attio sandboxes: a good pair passes; a rejected key, a token without a scope and a key whose user
 * lacks a permission fail with what to do, and refuse a job that needs them (422); roles, tenants, audit.
 * No worker runs: created jobs stay pending.
 */
const QUEUE = testTaskQueue('conn-check');
const NO_NOTES_SCOPE = 'record_permission:read-write object_configuration:read-write list_configuration:read-write list_entry:read-write user_management:read';
let s: Sandboxes;
let e: EngineTenant;
let other: EngineTenant;

beforeAll(async () => {
  s = await startSandboxes(
    { seed: 'conn-check', size: 200, apiKeys: ['affinity-sandbox-key', 'no-lists-key'], deniedPermissions: { 'no-lists-key': ['Export data from Lists'] } },
    { tokens: ['attio-sandbox-token', 'no-notes-token'], scopes: { 'no-notes-token': NO_NOTES_SCOPE } },
  );
  e = await createEngineTenant(s, QUEUE);
  other = await createEngineTenant(s, QUEUE);
});
afterAll(async () => {
  if (e) await cleanUpJobs(e.t, [{ tenant: { id: e.tenantId, namespace: e.namespace } } as TenantFixture]);
  await s?.affinity.close();
  await s?.attio.close();
});

const connect = async (type: 'affinity' | 'attio', apiKey: string): Promise<string> => {
  const res = await e.t.call('POST', '/v1/connections', { token: e.key, body: { name: `${type} ${apiKey}`, type, baseUrl: type === 'affinity' ? s.affinity.url : s.attio.url, credentials: { apiKey } } });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
};
const test = (id: string, token = e.key) => e.t.call('POST', `/v1/connections/${id}/test`, { token });
const createJob = (body: Record<string, unknown>) => e.t.call('POST', '/v1/jobs', { token: e.key, body });
const jobCount = () => withTenant(e.t.ctx.sql, e.tenantId, async (tx) => (await tx<{ n: number }[]>`select count(*)::int as n from freight.jobs`)[0]?.n);

describe('POST /v1/connections/{id}/test', () => {
  it('passes the sandbox pair: identity of both sides, Affinity quota, audited as connection.test', async () => {
    const source = await test(e.sourceConnectionId);
    expect(source.status, await source.clone().text()).toBe(200);
    const src = (await source.json()) as ConnectionCheckResult;
    expect(src).toMatchObject({ connectionId: e.sourceConnectionId, type: 'affinity', ok: true, failed: [] });
    expect(src.checks.map((c) => c.name)).toEqual(['reachable', 'credentials', 'permissions', 'quota', 'identity']);
    expect(src.quota?.basis).toMatch(/month/);
    const target = (await (await test(e.targetConnectionId)).json()) as ConnectionCheckResult;
    expect(target).toMatchObject({ type: 'attio', ok: true, identity: { account: { id: s.attio.workspace.id, name: s.attio.workspace.name } } });
    const audit = await auditRows(e.t, e.tenantId, e.targetConnectionId);
    expect(audit.at(-1)).toMatchObject({ action: 'connection.test', actor_role: 'engineer', details: { ok: true, failed: [], type: 'attio' } });
  });

  it('fails a rejected key and a token without a scope, saying what to do; never echoes the vendor\'s text', async () => {
    const wrong = (await (await test(await connect('affinity', 'revoked-key'))).json()) as ConnectionCheckResult;
    expect(wrong).toMatchObject({ ok: false, failed: ['credentials'] });
    expect(wrong.checks.find((c) => c.name === 'credentials')?.action).toMatch(/API key/);
    expect(JSON.stringify(wrong)).not.toMatch(/Unauthorized: provide/);
    const scoped = (await (await test(await connect('attio', 'no-notes-token'))).json()) as ConnectionCheckResult;
    expect(scoped).toMatchObject({ ok: false, failed: ['permissions'] });
    expect(scoped.checks.find((c) => c.name === 'permissions')?.message).toContain('note:read-write');
  });

  it('is for engineers of the connection\'s tenant: viewers 403, another tenant and unknown ids 404 with the uniform body', async () => {
    const viewer = await createKey(e.t, e.tenantId, 'viewer');
    expect((await test(e.sourceConnectionId, viewer.key)).status).toBe(403);
    const foreign = await test(e.sourceConnectionId, other.key);
    expect(foreign.status).toBe(404);
    expect((await errorBody(foreign)).code).toBe('not_found');
    expect((await test('00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('is in the OpenAPI document with its result schema', async () => {
    const doc = (await (await e.t.call('GET', '/openapi.json')).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(Object.keys(doc.paths['/v1/connections/{connectionId}/test']?.post?.responses ?? {})).toEqual(expect.arrayContaining(['200', '403', '404']));
  });
});

describe('the check at job creation', () => {
  it('refuses a job whose connections fail their checks with 422 connection_check_failed and the failed checks, creating nothing', async () => {
    const before = await jobCount();
    const refused = await createJob({ sourceConnectionId: await connect('affinity', 'no-lists-key'), targetConnectionId: await connect('attio', 'no-notes-token') });
    expect(refused.status, await refused.clone().text()).toBe(422);
    const error = (await errorBody(refused)) as { code: string; message: string; details: Record<string, { failed: string[] }> };
    expect(error.code).toBe('connection_check_failed');
    expect(error.details.source?.failed).toEqual(['permissions']);
    expect(error.details.target?.failed).toEqual(['permissions']);
    expect(await jobCount()).toBe(before);
  });

  it('checks only what the job moves: without notes and lists, the same connections make a job', async () => {
    const res = await createJob({
      sourceConnectionId: await connect('affinity', 'no-lists-key'), targetConnectionId: await connect('attio', 'no-notes-token'),
      objects: ['organizations', 'persons'],
    });
    expect(res.status, await res.clone().text()).toBe(201);
  });

  it('does not refuse a job when the check itself cannot run (the API is down)', async () => {
    s.attio.faults.update({ rate5xx: 1, statuses5xx: [503] });
    try {
      const res = await createJob({ sourceConnectionId: e.sourceConnectionId, targetConnectionId: e.targetConnectionId, objects: ['organizations'] });
      expect(res.status, await res.clone().text()).toBe(201);
    } finally {
      s.attio.faults.update({ rate5xx: 0 });
    }
  });
});
