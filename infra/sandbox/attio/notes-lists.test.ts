import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock, createTestClient, type LooseJson } from '../test-client.ts';
import { startAttioSandbox, type AttioSandbox } from './index.ts';

describe('Attio sandbox notes and lists', () => {
  const clock = createFakeClock(Date.UTC(2025, 5, 1, 9, 0, 0));
  let sandbox: AttioSandbox;
  let call: ReturnType<typeof createTestClient>;
  let companyId: string;
  const note = (extra: Record<string, unknown> = {}) => ({ data: { parent_object: 'companies', parent_record_id: companyId, title: 'Call', format: 'plaintext', content: 'Met the team.', ...extra } });

  beforeAll(async () => {
    sandbox = await startAttioSandbox({ now: clock.now, limits: { readsPerSecond: 0, writesPerSecond: 0 }, workspace: { noteContentLimitBytes: 1000 } });
    call = createTestClient(sandbox.url, `Bearer ${sandbox.token}`);
  });
  beforeEach(async () => {
    await call('POST', '/__sandbox/reset');
    companyId = (await call('POST', '/v2/objects/companies/records', { data: { values: { domains: ['acme.com'] } } })).body.data.id.record_id;
  });
  afterAll(() => sandbox.close());

  it('creates notes on one parent with backdating from 1970 up to now, never before or after', async () => {
    const epoch = await call('POST', '/v2/notes', note({ created_at: '1970-01-01T00:00:00Z' }));
    expect(epoch.status).toBe(200);
    expect(epoch.body.data).toMatchObject({ parent_object: 'companies', parent_record_id: companyId, created_at: '1970-01-01T00:00:00.000Z', content_plaintext: 'Met the team.' });
    expect((await call('POST', '/v2/notes', note({ created_at: '2020-02-29T12:00:00Z' }))).status).toBe(200);
    expect((await call('POST', '/v2/notes', note())).body.data.created_at).toBe('2025-06-01T09:00:00.000Z');
    const before = await call('POST', '/v2/notes', note({ created_at: '1969-12-31T23:59:59Z' }));
    expect(before.status).toBe(400);
    expect(before.body.code).toBe('validation_type');
    expect((await call('POST', '/v2/notes', note({ created_at: '2025-06-01T09:00:01Z' }))).status).toBe(400);
    expect((await call('POST', '/v2/notes', note({ created_at: 'yesterday' }))).status).toBe(400);
    expect((await call('POST', '/v2/notes', note({ format: 'html' }))).status).toBe(400);
    expect((await call('POST', '/v2/notes', note({ parent_record_id: undefined }))).status).toBe(400);
    expect((await call('POST', '/v2/notes', note({ parent_record_id: '00000000-0000-0000-0000-000000000000' }))).status).toBe(404);
    const big = await call('POST', '/v2/notes', note({ content: 'x'.repeat(1001) }));
    expect(big.status).toBe(413);
    // No Attio code exists for this refusal: the generic shape, whose code no client may rely on.
    expect(big.body).toMatchObject({ status_code: 413, type: 'invalid_request_error' });
    expect(sandbox.workspace.notes.byId.size).toBe(3);
  });

  it('lists notes by parent with limit (default 10, max 50) and offset; get and delete', async () => {
    for (let i = 0; i < 12; i += 1) await call('POST', '/v2/notes', note({ title: `n${i}` }));
    const list = (q: string) => call('GET', `/v2/notes?parent_object=companies&parent_record_id=${companyId}${q}`);
    expect((await list('')).body.data).toHaveLength(10);
    expect((await list('&offset=10')).body.data.map((n: LooseJson) => n.title)).toEqual(['n10', 'n11']);
    expect((await list('&limit=51')).status).toBe(400);
    const id = (await list('&limit=1')).body.data[0].id.note_id;
    expect((await call('GET', `/v2/notes/${id}`)).body.data.title).toBe('n0');
    expect((await call('DELETE', `/v2/notes/${id}`)).status).toBe(200);
    expect((await call('GET', `/v2/notes/${id}`)).status).toBe(404);
    expect((await list('&limit=50')).body.data).toHaveLength(11);
  });

  it('lists: create (409 on slug reuse), entries create/assert by parent, multiple_match_results, query', async () => {
    const listBody = { data: { name: 'Portfolio', api_slug: 'portfolio', parent_object: 'companies', workspace_access: 'full-access', workspace_member_access: [] } };
    expect((await call('POST', '/v2/lists', listBody)).status).toBe(200);
    expect((await call('POST', '/v2/lists', listBody)).status).toBe(409);
    expect((await call('GET', '/v2/lists')).body.data.map((l: LooseJson) => l.api_slug)).toEqual(['portfolio']);
    const attr = await call('POST', '/v2/lists/portfolio/attributes', { data: { title: 'Status', api_slug: 'status', type: 'select', is_required: false, is_unique: false, is_multiselect: false, config: {} } });
    expect(attr.status).toBe(200);
    await call('POST', '/v2/lists/portfolio/attributes/status/options', { data: { title: 'Active' } });
    await call('POST', '/v2/lists/portfolio/attributes/status/options', { data: { title: 'Exited' } });

    const entry = (status: string) => ({ data: { parent_record_id: companyId, parent_object: 'companies', entry_values: { status } } });
    const first = await call('PUT', '/v2/lists/portfolio/entries', entry('Active'));
    expect(first.status).toBe(200);
    const second = await call('PUT', '/v2/lists/portfolio/entries', entry('Exited'));
    expect(second.body.data.id.entry_id).toBe(first.body.data.id.entry_id);
    expect(second.body.data.entry_values.status[0].option.title).toBe('Exited');
    // The spec's one 400 code for entry asserts is multiple_match_results: every 400 there carries it.
    const unknown = await call('PUT', '/v2/lists/portfolio/entries', entry('Unknown'));
    expect(unknown.body).toMatchObject({ status_code: 400, code: 'multiple_match_results' });
    expect(unknown.body.message).toMatch(/Unknown select option/);

    expect((await call('POST', '/v2/lists/portfolio/entries', entry('Active'))).status).toBe(200);
    const ambiguous = await call('PUT', '/v2/lists/portfolio/entries', entry('Active'));
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.code).toBe('multiple_match_results');
    expect(ambiguous.body.message).toMatch(/entries/);

    const byParent = await call('POST', '/v2/lists/portfolio/entries/query', { filter: { parent_record_id: companyId } });
    expect(byParent.body.data).toHaveLength(2);
    expect((await call('POST', '/v2/lists/portfolio/entries/query', { filter: { status: 'Exited' } })).body.data).toHaveLength(1);
    const wrongParent = await call('POST', '/v2/lists/portfolio/entries', { data: { parent_record_id: companyId, parent_object: 'people', entry_values: {} } });
    expect(wrongParent.status).toBe(400);
  });

  it('entries: an equality query on a text attribute is answered from an index kept through writes and deletes', async () => {
    await call('POST', '/v2/lists', { data: { name: 'Pipeline', api_slug: 'pipeline', parent_object: 'companies', workspace_access: 'full-access', workspace_member_access: [] } });
    await call('POST', '/v2/lists/pipeline/attributes', { data: { title: 'Source entry', api_slug: 'source_entry', type: 'text', is_required: false, is_unique: false, is_multiselect: false, config: {} } });
    const add = async (source: string) => (await call('POST', '/v2/lists/pipeline/entries', { data: { parent_record_id: companyId, parent_object: 'companies', entry_values: { source_entry: source } } })).body.data.id.entry_id as string;
    const find = async (source: string) => (await call('POST', '/v2/lists/pipeline/entries/query', { filter: { source_entry: source } })).body.data.map((e: LooseJson) => e.id.entry_id as string);
    const [e1, e2, e3] = [await add('s-1'), await add('s-2'), await add('s-1')];
    expect(await find('s-1')).toEqual([e1, e3]);
    await call('PATCH', `/v2/lists/pipeline/entries/${e1}`, { data: { entry_values: { source_entry: 's-2' } } });
    await call('DELETE', `/v2/lists/pipeline/entries/${e2}`);
    expect(await find('s-1')).toEqual([e3]);
    expect(await find('s-2')).toEqual([e1]);
    expect(await find('s-3')).toEqual([]);
  });
});
