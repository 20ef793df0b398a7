import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClient, type LooseJson } from '../test-client.ts';
import { checkAttioContract } from './contract/index.ts';
import { startAttioSandbox, type AttioSandbox } from './index.ts';

/**
 * Every operation the Attio sandbox serves, in success and in each refusal it can give, checked against
 * the schemas of Attio's published spec by the sandbox's own contract recorder: no answer may break them.
 */
describe('Attio sandbox conformance to the published spec', () => {
  let sandbox: AttioSandbox;
  let call: ReturnType<typeof createTestClient>;
  let sent = 0;
  const api = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    sent += 1;
    return call(method, path, body, headers);
  };

  beforeAll(async () => {
    sandbox = await startAttioSandbox({ contract: checkAttioContract, limits: { readsPerSecond: 0, writesPerSecond: 0 }, workspace: { noteContentLimitBytes: 2000 } });
    call = createTestClient(sandbox.url, `Bearer ${sandbox.token}`);
  });
  afterAll(() => sandbox.close());

  it('answers every served operation, successes and refusals, within the schemas', async () => {
    const attr = (slug: string, type: string, extra: Record<string, unknown> = {}) =>
      ({ data: { title: slug, description: null, api_slug: slug, type, is_required: false, is_unique: false, is_multiselect: false, config: {}, ...extra } });
    const ok = async (method: string, path: string, body?: unknown) => {
      const res = await api(method, path, body);
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(200);
      return res.body as LooseJson;
    };
    const refused = async (status: number, method: string, path: string, body?: unknown) => {
      const res = await api(method, path, body);
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
    };

    for (const path of ['/v2/self', '/v2/workspace_members', '/v2/objects', '/v2/objects/deals', '/v2/objects/people/attributes', '/v2/objects/companies/attributes',
      '/v2/objects/deals/attributes', '/v2/objects/people/attributes/company', '/v2/objects/deals/attributes/stage/statuses', '/v2/objects/companies/attributes/categories/options']) {
      await ok('GET', path);
    }
    await ok('POST', '/v2/objects/deals/attributes', attr('affinity_id', 'text', { is_unique: true }));
    await ok('POST', '/v2/objects/deals/attributes/stage/statuses', { data: { title: 'Parked' } });
    await ok('POST', '/v2/objects/companies/attributes', attr('tier', 'select', { is_multiselect: true }));
    await ok('POST', '/v2/objects/companies/attributes/tier/options', { data: { title: 'Gold' } });
    await refused(409, 'POST', '/v2/objects/companies/attributes', attr('tier', 'select'));
    await refused(409, 'POST', '/v2/objects/companies/attributes/tier/options', { data: { title: 'Gold' } });
    await refused(404, 'GET', '/v2/objects/nope');
    await refused(404, 'GET', '/v2/objects/people/attributes/nope');

    const company = (await ok('POST', '/v2/objects/companies/records', { data: { values: { domains: ['acme.com'], name: ['Acme'], tier: ['Gold'] } } })).data.id.record_id as string;
    const person = (await ok('PUT', '/v2/objects/people/records?matching_attribute=email_addresses', {
      data: { values: { email_addresses: ['ada@acme.com'], name: [{ first_name: 'Ada', last_name: 'L', full_name: 'Ada L' }], company: [{ target_object: 'companies', target_record_id: company }] } },
    })).data.id.record_id as string;
    const owner = sandbox.workspace.members[0]?.email as string;
    await ok('PUT', '/v2/objects/deals/records?matching_attribute=affinity_id', { data: { values: { affinity_id: ['300000001'], name: ['Deal'], stage: ['Lead'], owner: [owner], associated_people: [{ target_object: 'people', target_record_id: person }] } } });
    await ok('GET', `/v2/objects/people/records/${person}`);
    await ok('PATCH', `/v2/objects/people/records/${person}`, { data: { values: { job_title: ['CEO'] } } });
    await ok('PUT', `/v2/objects/people/records/${person}`, { data: { values: { job_title: ['CTO'] } } });
    await ok('POST', '/v2/objects/people/records/query', { filter: { email_addresses: 'ada@acme.com' }, limit: 10, offset: 0 });
    await refused(400, 'POST', '/v2/objects/companies/records', { data: { values: { domains: ['acme.com'] } } });
    await refused(400, 'PUT', '/v2/objects/companies/records?matching_attribute=name', { data: { values: { name: ['x'] } } });
    await refused(400, 'PATCH', `/v2/objects/people/records/${person}`, { data: { values: { job_title: [1] } } });
    await refused(400, 'POST', '/v2/objects/people/records/query', { filter: { nope: 1 } });
    await refused(404, 'GET', '/v2/objects/people/records/00000000-0000-4000-8000-000000000000');

    await ok('POST', '/v2/lists', { data: { name: 'Pipeline', api_slug: 'pipeline', parent_object: 'companies', workspace_access: 'full-access', workspace_member_access: [] } });
    await refused(409, 'POST', '/v2/lists', { data: { name: 'Pipeline', api_slug: 'pipeline', parent_object: 'companies', workspace_access: 'full-access', workspace_member_access: [] } });
    await ok('POST', '/v2/lists/pipeline/attributes', attr('status', 'select'));
    await ok('POST', '/v2/lists/pipeline/attributes/status/options', { data: { title: 'Hot' } });
    await ok('GET', '/v2/lists/pipeline/attributes');
    await ok('GET', '/v2/lists/pipeline/attributes/status/options');
    await ok('GET', '/v2/lists');
    await ok('GET', '/v2/lists/pipeline');
    const entryBody = (status: string) => ({ data: { parent_record_id: company, parent_object: 'companies', entry_values: { status: [status] } } });
    const entry = (await ok('POST', '/v2/lists/pipeline/entries', entryBody('Hot'))).data.id.entry_id as string;
    await ok('GET', `/v2/lists/pipeline/entries/${entry}`);
    await ok('PATCH', `/v2/lists/pipeline/entries/${entry}`, { data: { entry_values: { status: ['Hot'] } } });
    await ok('PUT', `/v2/lists/pipeline/entries/${entry}`, { data: { entry_values: { status: ['Hot'] } } });
    await ok('PUT', '/v2/lists/pipeline/entries', entryBody('Hot'));
    await ok('POST', '/v2/lists/pipeline/entries/query', { limit: 10 });
    await refused(400, 'PUT', '/v2/lists/pipeline/entries', entryBody('Cold'));
    await refused(400, 'POST', '/v2/lists/pipeline/entries', entryBody('Cold'));
    await refused(404, 'GET', '/v2/lists/nope');

    const noteBody = (content: string) => ({ data: { parent_object: 'companies', parent_record_id: company, title: 'Call', format: 'markdown', content } });
    const note = (await ok('POST', '/v2/notes', noteBody('**Met** them'))).data.id.note_id as string;
    await ok('GET', `/v2/notes?parent_object=companies&parent_record_id=${company}&limit=50`);
    await ok('GET', `/v2/notes/${note}`);
    await refused(413, 'POST', '/v2/notes', noteBody('x'.repeat(3000)));
    await ok('DELETE', `/v2/notes/${note}`);
    await refused(404, 'GET', `/v2/notes/${note}`);
    await ok('DELETE', `/v2/lists/pipeline/entries/${entry}`);
    await ok('DELETE', `/v2/objects/people/records/${person}`);

    // Refusals before any handler: bad token, rate limit, injected server errors.
    sent += 1;
    expect((await createTestClient(sandbox.url, 'Bearer wrong')('GET', '/v2/self')).status).toBe(401);
    sandbox.limiter.update({ writesPerSecond: 1 });
    await api('POST', '/v2/objects/companies/records', { data: { values: { name: ['A'] } } });
    await refused(429, 'POST', '/v2/objects/companies/records', { data: { values: { name: ['B'] } } });
    sandbox.limiter.update({ writesPerSecond: 0 });
    sandbox.faults.update({ rate5xx: 1 });
    await refused(500, 'GET', '/v2/objects');
    sandbox.faults.update({ rate5xx: 0 });

    const report = (await call('GET', '/__sandbox/contract')).body as LooseJson;
    expect(report.recent, JSON.stringify(report.recent, null, 2)).toEqual([]);
    expect(report).toMatchObject({ enabled: true, checked: sent, violations: 0 });
    expect((await call('GET', '/__sandbox/stats')).body.contract).toEqual({ enabled: true, checked: sent, violations: 0 });
  });
});
