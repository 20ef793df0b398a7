import { expect } from 'vitest';
import type { createTestClient, LooseJson } from '../../test-client.ts';

/**
 * Test support: writes one of everything a workspace holds through the HTTP API (custom attributes and
 * options, records with two-way relationships, a moved reference, a deal, a list with entries, notes,
 * deletes), and reads it all back, so a restarted sandbox can be compared with the one before.
 */
type Call = ReturnType<typeof createTestClient>;

const ok = async (pending: ReturnType<Call>): Promise<LooseJson> => {
  const res = await pending;
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

export interface Written {
  people: string[];
  companies: string[];
  entries: string[];
}

export async function writeScenario(call: Call): Promise<Written> {
  const attr = (object: string, body: Record<string, unknown>) =>
    ok(call('POST', `/v2/${object}/attributes`, { data: { is_required: false, is_unique: false, is_multiselect: false, config: {}, ...body } }));
  await attr('objects/people', { title: 'Affinity ID', api_slug: 'affinity_id', type: 'text' });
  await attr('objects/companies', { title: 'Tier', api_slug: 'tier', type: 'select' });
  for (const title of ['Gold', 'Silver']) await ok(call('POST', '/v2/objects/companies/attributes/tier/options', { data: { title } }));

  const company = async (domain: string, name: string, tier: string) =>
    (await ok(call('PUT', '/v2/objects/companies/records?matching_attribute=domains', { data: { values: { domains: [domain], name, tier, categories: ['SaaS', 'B2B'] } } }))).data.id.record_id as string;
  const companies = [await company('acme.com', 'Acme', 'Gold'), await company('globex.com', 'Globex', 'Silver')];

  const people: string[] = [];
  for (let i = 0; i < 5; i += 1) {
    const body = await ok(call('POST', '/v2/objects/people/records', { data: { values: {
      email_addresses: [`p${i}@acme.com`], name: `Person ${i}`, affinity_id: `p-${i}`,
      company: { target_object: 'companies', target_record_id: companies[0] }, phone_numbers: ['+44 20 7946 000' + String(i)],
    } } }));
    people.push(body.data.id.record_id as string);
  }
  await ok(call('PATCH', `/v2/objects/people/records/${people[1]}`, { data: { values: { company: { target_object: 'companies', domains: 'globex.com' } } } }));
  await ok(call('POST', '/v2/objects/deals/records', { data: { values: {
    name: 'Big deal', stage: 'Lead', owner: 'owner@freight-sandbox.test', value: 1000,
    associated_people: [{ target_object: 'people', target_record_id: people[0] }], associated_company: { target_object: 'companies', target_record_id: companies[0] },
  } } }));

  await ok(call('POST', '/v2/lists', { data: { name: 'Pipeline', api_slug: 'pipeline', parent_object: 'companies', workspace_access: 'full-access', workspace_member_access: [] } }));
  await attr('lists/pipeline', { title: 'Source entry', api_slug: 'source_entry', type: 'text' });
  await attr('lists/pipeline', { title: 'Stage', api_slug: 'stage', type: 'status' });
  await ok(call('POST', '/v2/lists/pipeline/attributes/stage/statuses', { data: { title: 'Open' } }));
  const entries: string[] = [];
  for (const [i, parent] of companies.entries()) {
    const body = await ok(call('POST', '/v2/lists/pipeline/entries', { data: { parent_record_id: parent, parent_object: 'companies', entry_values: { source_entry: `e-${i}`, stage: 'Open' } } }));
    entries.push(body.data.id.entry_id as string);
  }
  entries.push((await ok(call('POST', '/v2/lists/pipeline/entries', { data: { parent_record_id: companies[1], parent_object: 'companies', entry_values: { source_entry: 'e-x' } } }))).data.id.entry_id as string);
  await ok(call('DELETE', `/v2/lists/pipeline/entries/${entries.pop() as string}`));

  const note = (object: string, id: string, title: string) =>
    ok(call('POST', '/v2/notes', { data: { parent_object: object, parent_record_id: id, title, format: 'markdown', content: `# ${title}\nünïcödé`, created_at: '2020-02-29T12:00:00Z' } }));
  await note('companies', companies[0] as string, 'Kick-off');
  await note('people', people[0] as string, 'Call');
  const dropped = (await note('companies', companies[1] as string, 'Dropped')).data.id.note_id as string;
  await ok(call('DELETE', `/v2/notes/${dropped}`));
  await note('people', people[4] as string, 'Goes with its person');
  await ok(call('DELETE', `/v2/objects/people/records/${people.pop() as string}`));
  return { people, companies, entries };
}

/** Everything the workspace holds, as the API and the inspection endpoints render it. */
export async function readEverything(call: Call): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {
    summary: await ok(call('GET', '/__sandbox/summary')),
    self: await ok(call('GET', '/v2/self')),
    lists: await ok(call('GET', '/__sandbox/lists')),
    notes: await ok(call('GET', '/__sandbox/notes?limit=10000')),
    entries: await ok(call('GET', '/__sandbox/entries/pipeline?limit=10000')),
    listAttributes: await ok(call('GET', '/v2/lists/pipeline/attributes')),
  };
  for (const object of ['people', 'companies', 'deals']) {
    out[`records/${object}`] = await ok(call('GET', `/__sandbox/records/${object}?limit=10000`));
    out[`attributes/${object}`] = await ok(call('GET', `/v2/objects/${object}/attributes`));
  }
  return out;
}
