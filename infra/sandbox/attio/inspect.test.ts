import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClient, type LooseJson } from '../test-client.ts';
import { startAttioSandbox, type AttioSandbox } from './index.ts';

describe('Attio sandbox inspection endpoints', () => {
  let sandbox: AttioSandbox;
  let call: ReturnType<typeof createTestClient>;
  let admin: ReturnType<typeof createTestClient>;

  beforeAll(async () => {
    sandbox = await startAttioSandbox({ adminToken: 'admin-secret', limits: { writesPerSecond: 0, readsPerSecond: 0 } });
    call = createTestClient(sandbox.url, `Bearer ${sandbox.token}`);
    admin = (method, path, body) => createTestClient(sandbox.url)(method, path, body, { 'x-sandbox-admin-token': 'admin-secret' });
  });
  afterAll(() => sandbox.close());

  it('shows records, lists, entries, notes and counts, pages them, and resets everything', async () => {
    expect((await createTestClient(sandbox.url)('GET', '/__sandbox/summary')).status).toBe(401);
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      ids.push((await call('POST', '/v2/objects/companies/records', { data: { values: { domains: [`c${i}.com`], name: `C${i}` } } })).body.data.id.record_id);
    }
    await call('POST', '/v2/lists', { data: { name: 'Deals', api_slug: 'deal_flow', parent_object: 'companies', workspace_access: null, workspace_member_access: [] } });
    await call('POST', '/v2/lists/deal_flow/entries', { data: { parent_record_id: ids[0], parent_object: 'companies', entry_values: {} } });
    await call('POST', '/v2/notes', { data: { parent_object: 'companies', parent_record_id: ids[1], title: 't', format: 'markdown', content: '**hi**' } });

    const summary = (await admin('GET', '/__sandbox/summary')).body;
    expect(summary).toMatchObject({ objects: { people: 0, companies: 5, deals: 0 }, lists: { deal_flow: 1 }, notes: 1 });
    const page = (await admin('GET', '/__sandbox/records/companies?limit=2&offset=4')).body;
    expect(page).toMatchObject({ total: 5, limit: 2, offset: 4 });
    expect(page.data.map((r: LooseJson) => r.id.record_id)).toEqual([ids[4]]);
    expect((await admin('GET', '/__sandbox/records/nope')).status).toBe(404);
    expect((await admin('GET', '/__sandbox/lists')).body.data[0]).toMatchObject({ api_slug: 'deal_flow', entry_count: 1 });
    expect((await admin('GET', '/__sandbox/entries/deal_flow')).body.data[0].parent_record_id).toBe(ids[0]);
    expect((await admin('GET', '/__sandbox/notes')).body.data[0]).toMatchObject({ content_plaintext: 'hi', content_markdown: '**hi**' });
    const stats = (await admin('GET', '/__sandbox/stats')).body;
    expect(stats.writes).toBe(8);
    expect(stats.byStatus['200']).toBe(8);

    expect((await admin('POST', '/__sandbox/reset')).status).toBe(200);
    expect((await admin('GET', '/__sandbox/summary')).body).toMatchObject({ objects: { companies: 0 }, lists: {}, notes: 0 });
    expect((await admin('GET', '/__sandbox/stats')).body.requests).toBe(0);
  });
});
