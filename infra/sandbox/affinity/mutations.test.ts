import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClient } from '../test-client.ts';
import { checkAffinityContract } from './contract/index.ts';
import { startAffinitySandbox, type AffinitySandbox } from './index.ts';

type V2Page = { data: { id: number; firstName?: string; name?: string }[]; pagination: { nextUrl: string | null } };

describe('Affinity sandbox source changes (POST /__sandbox/mutations)', () => {
  let sandbox: AffinitySandbox;
  let call: ReturnType<typeof createTestClient>;

  beforeAll(async () => {
    sandbox = await startAffinitySandbox({ seed: 5, size: 400, limits: { perMinute: 0, monthly: 0 }, contract: checkAffinityContract });
    call = createTestClient(sandbox.url, `Bearer ${sandbox.apiKey}`);
  });
  afterAll(() => sandbox.close());

  const all = async (path: string): Promise<V2Page['data']> => {
    const out: V2Page['data'] = [];
    let url: string | null = `${path}?limit=100`;
    while (url) {
      const res: { status: number; body: V2Page } = await call('GET', url.replace(sandbox.url, ''));
      expect(res.status).toBe(200);
      out.push(...res.body.data);
      url = res.body.pagination.nextUrl;
    }
    return out;
  };

  it('changed, added and deleted persons and companies read back as Affinity would return them, everywhere', async () => {
    const before = await all('/v2/persons');
    const companies = await all('/v2/companies');
    const [changed, deleted] = [before[3]!, before[7]!];
    const res = await call('POST', '/__sandbox/mutations', {
      change: [{ kind: 'person', id: changed.id, firstName: 'Renamed' }, { kind: 'organization', id: companies[0]!.id, name: 'Renamed Co' }],
      add: [{ kind: 'person', firstName: 'New', lastName: 'Person', email: 'new.person@example.org' }],
      delete: [{ kind: 'person', id: deleted.id }],
    });
    expect(res.status).toBe(200);
    const added = (res.body as { added: { id: number }[] }).added[0]!.id;
    const after = await all('/v2/persons');
    expect(after).toHaveLength(before.length);
    expect(after.find((p) => p.id === changed.id)?.firstName).toBe('Renamed');
    expect(after.some((p) => p.id === deleted.id)).toBe(false);
    expect(after.find((p) => p.id === added)).toMatchObject({ firstName: 'New', lastName: 'Person', primaryEmailAddress: 'new.person@example.org' });
    expect((await call('GET', `/v2/persons/${deleted.id}`)).status).toBe(404);
    expect((await call('GET', `/v2/persons/${added}`)).status).toBe(200);
    expect((await all('/v2/companies'))[0]?.name).toBe('Renamed Co');
    // Unknown ids change nothing.
    expect((await call('POST', '/__sandbox/mutations', { delete: [{ kind: 'person', id: deleted.id }] })).status).toBe(404);
  });

  it('a person\'s email addresses changed (one removed, one added) read back from v1 and v2, the first as primary', async () => {
    const [person] = await all('/v2/persons');
    const emails = ['kept@example.org', 'added@example.org'];
    expect((await call('POST', '/__sandbox/mutations', { change: [{ kind: 'person', id: person!.id, emails }] })).status).toBe(200);
    const v1 = await call('GET', `/persons/${person!.id}`);
    expect(v1.body).toMatchObject({ emails, primary_email: 'kept@example.org' });
    const v2 = await call('GET', `/v2/persons/${person!.id}`);
    expect(v2.body).toMatchObject({ emailAddresses: emails, primaryEmailAddress: 'kept@example.org' });
  });
});
