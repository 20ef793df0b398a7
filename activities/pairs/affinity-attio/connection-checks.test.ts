import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAffinitySandbox, startAttioSandbox, type AffinitySandbox, type AttioSandbox } from '../../../infra/sandbox/index.ts';
import { createTestChecker, statuses } from '../check-test-support.ts';

/** Affinity and Attio connection checks against their sandboxes: pass, bad credentials, a missing permission or scope. */
let affinity: AffinitySandbox;
let attio: AttioSandbox;
let noDeals: AttioSandbox;
const checker = createTestChecker();

const LIMITED_SCOPE = 'record_permission:read-write object_configuration:read-write list_configuration:read-write list_entry:read-write';

beforeAll(async () => {
  affinity = await startAffinitySandbox({
    size: 50, apiKeys: ['good-key', 'no-people-key'], limits: { perMinute: 0, monthly: 1000 },
    deniedPermissions: { 'no-people-key': ['Export All People directory'] },
  });
  attio = await startAttioSandbox({ tokens: ['good-token', 'no-notes-token'], scopes: { 'no-notes-token': LIMITED_SCOPE } });
  noDeals = await startAttioSandbox({ workspace: { deals: false } });
});
afterAll(async () => {
  await Promise.all([affinity?.close(), attio?.close(), noDeals?.close(), checker.close()]);
});

const affinityConnection = (apiKey: string) => ({ type: 'affinity' as const, baseUrl: affinity.url, apiKey });
const attioConnection = (apiKey: string, url = attio.url) => ({ type: 'attio' as const, baseUrl: url, apiKey });

describe('Affinity connection check', () => {
  it('passes a good key: whoami identity, the export permissions, the monthly quota left', async () => {
    const result = await checker.run(affinityConnection('good-key'));
    expect(statuses(result)).toEqual({ reachable: 'pass', credentials: 'pass', permissions: 'pass', quota: 'pass', identity: 'pass' });
    expect(result).toMatchObject({ ok: true, failed: [], type: 'affinity' });
    expect(result.identity?.account.id).not.toBeNull();
    expect(result.identity?.principal).toMatch(/@/);
    // The three probes cost three monthly calls; whoami and /rate-limit are free (reference).
    expect(result.quota).toMatchObject({ limit: 1000, remaining: 997 });
  });

  it('fails a key Affinity rejects, without its error text, and stops there', async () => {
    const result = await checker.run(affinityConnection('wrong-key'));
    expect(statuses(result)).toEqual({ reachable: 'pass', credentials: 'fail' });
    expect(result).toMatchObject({ ok: false, failed: ['credentials'] });
    expect(result.checks[1]?.action).toMatch(/new API key/);
    expect(JSON.stringify(result)).not.toMatch(/Basic auth password|Unauthorized/);
  });

  it('fails a key whose user lacks a permission the job needs, naming it; a job not moving persons passes', async () => {
    const all = await checker.run(affinityConnection('no-people-key'));
    expect(all.failed).toEqual(['permissions']);
    expect(all.checks.find((c) => c.name === 'permissions')?.message).toContain('"Export All People directory"');
    const orgsOnly = await checker.run(affinityConnection('no-people-key'), ['organizations', 'notes']);
    expect(orgsOnly.ok).toBe(true);
  });

  it('warns, never fails, when the monthly quota is nearly spent', async () => {
    affinity.limiter.update({ monthly: 100 });
    affinity.limiter.reset();
    for (let i = 0; i < 95; i += 1) await fetch(`${affinity.url}/v2/lists?limit=1`, { headers: { authorization: 'Bearer good-key' } });
    const result = await checker.run(affinityConnection('good-key'), ['notes']);
    expect(statuses(result).quota).toBe('warn');
    expect(result.failed).toEqual([]);
    expect(result.quota).toMatchObject({ limit: 100, remaining: 5 });
    affinity.limiter.update({ monthly: 1000 });
    affinity.limiter.reset();
  });
});

describe('Attio connection check', () => {
  it('passes a token with every scope: its workspace from /v2/self, deals enabled', async () => {
    const result = await checker.run(attioConnection('good-token'));
    expect(statuses(result)).toEqual({ reachable: 'pass', credentials: 'pass', permissions: 'pass', objects: 'pass', identity: 'pass' });
    expect(result.identity?.account).toEqual({ id: attio.workspace.id, name: attio.workspace.name, slug: attio.workspace.slug });
    expect(result.quota).toBeNull();
  });

  it('fails a token Attio rejects', async () => {
    const result = await checker.run(attioConnection('nope'));
    expect(statuses(result)).toEqual({ reachable: 'pass', credentials: 'fail' });
    expect(JSON.stringify(result)).not.toContain('Missing or invalid bearer token');
  });

  it('fails a token without a scope the job needs, naming it; a job that moves no notes passes', async () => {
    const result = await checker.run(attioConnection('no-notes-token'));
    expect(result.failed).toEqual(['permissions']);
    expect(result.checks.find((c) => c.name === 'permissions')?.message).toContain('note:read-write');
    expect(result.checks.find((c) => c.name === 'permissions')?.message).not.toContain('list_entry');
    expect((await checker.run(attioConnection('no-notes-token'), ['organizations', 'persons', 'lists'])).ok).toBe(true);
  });

  it('fails a workspace without deals when opportunities move, and does not check deals otherwise', async () => {
    const result = await checker.run(attioConnection(noDeals.token, noDeals.url));
    expect(result.failed).toEqual(['objects']);
    expect(result.checks.find((c) => c.name === 'objects')?.action).toMatch(/enable the Deals object/);
    const withoutDeals = await checker.run(attioConnection(noDeals.token, noDeals.url), ['persons']);
    expect(statuses(withoutDeals)).not.toHaveProperty('objects');
    expect(withoutDeals.ok).toBe(true);
  });
});
