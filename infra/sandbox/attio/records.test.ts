import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestClient, type LooseJson } from '../test-client.ts';
import { startAttioSandbox, type AttioSandbox } from './index.ts';
import { checkAttioResponses } from './contract/index.ts';

const person = (emails: string[], extra: Record<string, unknown> = {}) => ({ data: { values: { email_addresses: emails, ...extra } } });
const emailsOf = (record: LooseJson) => record.values.email_addresses.map((v: { email_address: string }) => v.email_address);
const LOCATION = { line_1: '1 Main St', line_2: null, line_3: null, line_4: null, locality: 'Berlin', region: null, postcode: '10115', country_code: 'DE', latitude: null, longitude: null };

describe('Attio sandbox records', () => {
  let sandbox: AttioSandbox;
  let call: ReturnType<typeof createTestClient>;
  const assertPerson = (body: unknown) => call('PUT', '/v2/objects/people/records?matching_attribute=email_addresses', body);

  beforeAll(async () => {
    sandbox = await startAttioSandbox({ contract: checkAttioResponses, limits: { readsPerSecond: 0, writesPerSecond: 0 } });
    call = createTestClient(sandbox.url, `Bearer ${sandbox.token}`);
  });
  beforeEach(async () => {
    await call('POST', '/__sandbox/reset');
  });
  afterAll(() => sandbox.close());
  // Whatever a test sent, every answer must fit Attio's published response schemas (checked before the next reset).
  afterEach(() => {
    expect(sandbox.contract?.snapshot().recent).toEqual([]);
  });

  it('rejects a missing or wrong bearer token with the auth error body', async () => {
    const res = await createTestClient(sandbox.url, 'Bearer wrong')('GET', '/v2/objects');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ status_code: 401, type: 'auth_error', code: 'unauthorized' });
    expect((await createTestClient(sandbox.url)('GET', '/v2/objects')).status).toBe(401);
  });

  it('assert: creates on no match, then updates — matching multiselect values added, other multiselects replaced', async () => {
    const created = await assertPerson(person(['Ada@Example.com'], { job_title: 'CTO', phone_numbers: ['+44 20 7946 0000'], name: { first_name: 'Ada', last_name: 'Lovelace', full_name: 'Ada Lovelace' } }));
    expect(created.status).toBe(200);
    const id = created.body.data.id.record_id;
    expect(created.body.data.id).toEqual({ workspace_id: sandbox.workspace.id, object_id: expect.any(String), record_id: id });
    expect(created.body.data.web_url).toContain(id);
    const item = created.body.data.values.email_addresses[0];
    expect(item).toMatchObject({ active_until: null, attribute_type: 'email-address', email_address: 'ada@example.com', original_email_address: 'Ada@Example.com', email_domain: 'example.com' });
    expect(typeof item.active_from).toBe('string');
    expect(item.created_by_actor.type).toBe('api-token');

    const updated = await assertPerson(person(['ada@example.com', 'ada@work.com'], { phone_numbers: ['+1 555 0100 200'] }));
    expect(updated.status).toBe(200);
    expect(updated.body.data.id.record_id).toBe(id);
    expect(emailsOf(updated.body.data)).toEqual(['ada@example.com', 'ada@work.com']);
    expect(updated.body.data.values.phone_numbers.map((p: { phone_number: string }) => p.phone_number)).toEqual(['+15550100200']);
    // Every phone number comes back with its country (required by the spec): given, or read from the calling code.
    expect(updated.body.data.values.phone_numbers[0].country_code).toBe('US');
    const national = await assertPerson(person(['ada@example.com'], { phone_numbers: ['020 7946 0000'] }));
    expect(national.status).toBe(400);
    const withCountry = await assertPerson(person(['ada@example.com'], { phone_numbers: [{ original_phone_number: '020 7946 0000', country_code: 'GB' }] }));
    expect(withCountry.body.data.values.phone_numbers[0]).toMatchObject({ country_code: 'GB', phone_number: '+442079460000' });
    expect(updated.body.data.values.job_title[0].value).toBe('CTO');
    expect(updated.body.data.values.name[0].full_name).toBe('Ada Lovelace');

    const again = await assertPerson(person(['ADA@WORK.COM', 'ada@home.com']));
    expect(again.body.data.id.record_id).toBe(id);
    expect(emailsOf(again.body.data)).toEqual(['ada@example.com', 'ada@work.com', 'ada@home.com']);
    expect(sandbox.workspace.objects.get('people')?.records.size).toBe(1);
  });

  it('assert: several matching records → 400 (value_not_found, as the spec shows), nothing changed', async () => {
    await assertPerson(person(['a@x.com']));
    await assertPerson(person(['b@x.com']));
    const res = await assertPerson(person(['a@x.com', 'b@x.com'], { job_title: 'Ghost' }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status_code: 400, type: 'invalid_request_error', code: 'value_not_found' });
    expect(res.body.message).toMatch(/match/i);
    const rows = (await call('POST', '/v2/objects/people/records/query', {})).body.data;
    expect(rows).toHaveLength(2);
    expect(rows.every((r: LooseJson) => r.values.job_title.length === 0)).toBe(true);
  });

  it('assert: non-unique matching attribute → 400; unknown → 404; values must hold it', async () => {
    const res = await call('PUT', '/v2/objects/people/records?matching_attribute=job_title', person(['c@x.com'], { job_title: 'CEO' }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('value_not_found');
    expect(res.body.message).toMatch(/not unique/);
    expect((await call('PUT', '/v2/objects/people/records?matching_attribute=nope', person(['c@x.com']))).status).toBe(404);
    const missing = await call('PUT', '/v2/objects/people/records?matching_attribute=email_addresses', { data: { values: { job_title: 'CEO' } } });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('value_not_found');
    expect(missing.body.message).toMatch(/email_addresses/);
  });

  it('create: a unique value held by another record → 400 saying the value conflicts, not applied', async () => {
    await call('POST', '/v2/objects/companies/records', { data: { values: { domains: ['acme.com'], name: 'Acme' } } });
    const res = await call('POST', '/v2/objects/companies/records', { data: { values: { domains: ['https://ACME.com/about'], name: 'Acme 2' } } });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/conflicts/);
    expect(sandbox.workspace.objects.get('companies')?.records.size).toBe(1);
  });

  it('custom attributes: 409 slug_conflict; no custom unique on companies; unique affinity_id on deals drives assert', async () => {
    const attr = { data: { title: 'Affinity ID', api_slug: 'affinity_id', type: 'number', is_unique: true, is_required: false, is_multiselect: false, config: {} } };
    const onCompanies = await call('POST', '/v2/objects/companies/attributes', attr);
    expect(onCompanies.status).toBe(400);
    expect(onCompanies.body.message).toMatch(/unique/i);
    expect((await call('POST', '/v2/objects/companies/attributes', { data: { ...attr.data, is_unique: false } })).status).toBe(200);
    const created = await call('POST', '/v2/objects/deals/attributes', attr);
    expect(created.status).toBe(200);
    expect(created.body.data).toMatchObject({ api_slug: 'affinity_id', type: 'number', is_unique: true });
    const conflict = await call('POST', '/v2/objects/deals/attributes', attr);
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('slug_conflict');

    const deal = (name: string) => ({ data: { values: { affinity_id: 300000001, name, stage: 'Lead', owner: 'owner@freight-sandbox.test', value: 5000 } } });
    const first = await call('PUT', '/v2/objects/deals/records?matching_attribute=affinity_id', deal('Seed'));
    expect(first.status).toBe(200);
    const second = await call('PUT', '/v2/objects/deals/records?matching_attribute=affinity_id', deal('Seed (renamed)'));
    expect(second.body.data.id.record_id).toBe(first.body.data.id.record_id);
    expect(second.body.data.values.name[0].value).toBe('Seed (renamed)');
    expect(second.body.data.values.value[0]).toMatchObject({ currency_value: 5000, currency_code: 'USD' });
    expect(second.body.data.values.owner[0]).toMatchObject({ referenced_actor_type: 'workspace-member', referenced_actor_id: sandbox.workspace.members[0]?.id });
  });

  it('validates values by attribute type (400 with the one code the spec shows for creates; the reason in the message)', async () => {
    const expectError = async (values: Record<string, unknown>, reason: RegExp, object = 'people') => {
      const res = await call('POST', `/v2/objects/${object}/records`, { data: { values } });
      expect(res.status, JSON.stringify(values)).toBe(400);
      expect(res.body, JSON.stringify(values)).toMatchObject({ status_code: 400, type: 'invalid_request_error', code: 'value_not_found' });
      expect(res.body.message, JSON.stringify(values)).toMatch(reason);
    };
    await expectError({ job_title: 42 }, /expected a string/);
    await expectError({ email_addresses: ['not-an-email'] }, /expected an email address/);
    await expectError({ primary_location: { locality: 'Berlin' } }, /must include every key/);
    await expectError({ primary_location: { ...LOCATION, country_code: 'Germany' } }, /ISO 3166-1 alpha-2/);
    await expectError({ job_title: ['a', 'b'] }, /not multiselect/);
    await expectError({ name: 'x', categories: ['Space Mining'] }, /Unknown select option/, 'companies');
    await expectError({ company: { target_object: 'companies', target_record_id: '00000000-0000-0000-0000-000000000000' } }, /No companies record with id/);
    await expectError({ company: { target_object: 'companies', domains: ['nowhere.example'] } }, /No companies record matches/);
    await expectError({ name: 'D', stage: 'Maybe', owner: 'owner@freight-sandbox.test' }, /Unknown status/, 'deals');
    await expectError({ name: 'D', stage: 'Lead' }, /Required attribute "owner"/, 'deals');
    await expectError({ name: 'D', stage: 'Lead', owner: 'stranger@x.com' }, /No workspace member/, 'deals');
    await expectError({ record_id: 'abc' }, /not writable/);
    expect((await call('POST', '/v2/objects/people/records', { data: { values: { unknown_attr: 'x' } } })).status).toBe(404);

    const option = await call('POST', '/v2/objects/companies/attributes/categories/options', { data: { title: 'Space Mining' } });
    expect(option.status).toBe(200);
    const ok = await call('POST', '/v2/objects/companies/records', { data: { values: { name: 'Orbit', categories: ['Space Mining', { option: 'SaaS' }], primary_location: LOCATION } } });
    expect(ok.status).toBe(200);
    expect(ok.body.data.values.categories.map((c: LooseJson) => c.option.title)).toEqual(['Space Mining', 'SaaS']);
    expect(ok.body.data.values.primary_location[0]).toMatchObject({ locality: 'Berlin', country_code: 'DE', attribute_type: 'location' });
    expect(sandbox.workspace.objects.get('deals')?.records.size).toBe(0);
  });

  it('PATCH appends multiselect values, PUT replaces them; DELETE removes the record and its index keys', async () => {
    const id = (await assertPerson(person(['p@x.com']))).body.data.id.record_id;
    const patched = await call('PATCH', `/v2/objects/people/records/${id}`, person(['q@x.com']));
    expect(emailsOf(patched.body.data)).toEqual(['p@x.com', 'q@x.com']);
    const put = await call('PUT', `/v2/objects/people/records/${id}`, person(['r@x.com']));
    expect(emailsOf(put.body.data)).toEqual(['r@x.com']);
    expect((await assertPerson(person(['p@x.com']))).body.data.id.record_id).not.toBe(id);
    expect((await call('DELETE', `/v2/objects/people/records/${id}`)).status).toBe(200);
    expect((await call('GET', `/v2/objects/people/records/${id}`)).status).toBe(404);
    expect((await call('POST', '/v2/objects/people/records', person(['r@x.com']))).status).toBe(200);
  });

  it('PUT by id checks unique values like every write (nothing changed on a 400), leaves unsent attributes, and 404s an unknown id', async () => {
    const id = (await assertPerson(person(['p@x.com'], { job_title: 'CEO' }))).body.data.id.record_id;
    await assertPerson(person(['other@x.com']));
    const taken = await call('PUT', `/v2/objects/people/records/${id}`, person(['other@x.com']));
    expect(taken.status).toBe(400);
    // The code on the wire is the one the spec shows for this endpoint's 400; the reason is in the message.
    expect(taken.body.message).toMatch(/conflicts/);
    const kept = await call('GET', `/v2/objects/people/records/${id}`);
    expect(emailsOf(kept.body.data)).toEqual(['p@x.com']);
    const put = await call('PUT', `/v2/objects/people/records/${id}`, person([]));
    expect(put.body.data.values.email_addresses).toEqual([]);
    expect(put.body.data.values.job_title[0].value).toBe('CEO');
    // The email it gave up is free again.
    expect((await call('POST', '/v2/objects/people/records', person(['p@x.com']))).status).toBe(200);
    expect((await call('PUT', '/v2/objects/people/records/00000000-0000-4000-8000-000000000000', person(['z@x.com']))).status).toBe(404);
  });

  it('relationship attributes keep their inverse in step', async () => {
    const acme = (await call('POST', '/v2/objects/companies/records', { data: { values: { domains: ['acme.com'] } } })).body.data.id.record_id;
    const globex = (await call('POST', '/v2/objects/companies/records', { data: { values: { domains: ['globex.com'] } } })).body.data.id.record_id;
    const ada = (await assertPerson(person(['ada@acme.com'], { company: { target_object: 'companies', domains: [{ domain: 'acme.com' }] } }))).body.data.id.record_id;
    const team = async (id: string) => (await call('GET', `/v2/objects/companies/records/${id}`)).body.data.values.team.map((t: LooseJson) => t.target_record_id);
    expect(await team(acme)).toEqual([ada]);
    await assertPerson(person(['ada@acme.com'], { company: { target_object: 'companies', target_record_id: globex } }));
    expect(await team(acme)).toEqual([]);
    expect(await team(globex)).toEqual([ada]);
  });

  it('query: equality filters (unique and not), operators, limit/offset with a short last page', async () => {
    for (let i = 0; i < 7; i += 1) await assertPerson(person([`user${i}@q.com`], { job_title: i % 2 === 0 ? 'Even' : 'Odd' }));
    const query = (body: unknown) => call('POST', '/v2/objects/people/records/query', body);
    expect((await query({ filter: { email_addresses: 'USER3@q.com' } })).body.data.map(emailsOf)).toEqual([['user3@q.com']]);
    expect((await query({ filter: { email_addresses: { email_address: { $eq: 'user4@q.com' } } } })).body.data).toHaveLength(1);
    expect((await query({ filter: { job_title: 'Even' } })).body.data).toHaveLength(4);
    expect((await query({ filter: { $or: [{ job_title: 'Odd' }, { email_addresses: 'user0@q.com' }] } })).body.data).toHaveLength(4);
    expect((await query({ filter: { job_title: { $contains: 'dd' } } })).body.data).toHaveLength(3);
    expect((await query({ filter: { nope: 1 } })).body.code).toBe('filter_error');
    const pages = [await query({ limit: 3, offset: 0 }), await query({ limit: 3, offset: 3 }), await query({ limit: 3, offset: 6 })];
    expect(pages.map((p) => p.body.data.length)).toEqual([3, 3, 1]);
    expect(new Set(pages.flatMap((p) => p.body.data.map((r: LooseJson) => r.id.record_id))).size).toBe(7);
    expect((await query({ limit: 501 })).status).toBe(400);
  });

  it('query: an indexed equality filter stays exact through creates, updates and deletes, in insertion order', async () => {
    const query = async (body: unknown) => (await call('POST', '/v2/objects/people/records/query', body)).body.data.map((r: LooseJson) => r.id.record_id as string);
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push((await assertPerson(person([`ix${i}@q.com`], { job_title: i < 3 ? 'A' : 'B' }))).body.data.id.record_id);
    // The first equality query builds the index; everything after is answered from it.
    expect(await query({ filter: { job_title: 'A' } })).toEqual(ids.slice(0, 3));
    await call('PATCH', `/v2/objects/people/records/${ids[4]}`, { data: { values: { job_title: 'A' } } });
    await call('PATCH', `/v2/objects/people/records/${ids[0]}`, { data: { values: { job_title: 'C' } } });
    await call('DELETE', `/v2/objects/people/records/${ids[1]}`);
    const late = (await assertPerson(person(['ix9@q.com'], { job_title: 'A' }))).body.data.id.record_id;
    expect(await query({ filter: { job_title: 'A' } })).toEqual([ids[2], ids[4], late]);
    expect(await query({ filter: { job_title: { $eq: 'A' } }, limit: 1, offset: 1 })).toEqual([ids[4]]);
    expect(await query({ filter: { job_title: { value: 'C' } } })).toEqual([ids[0]]);
    expect(await query({ filter: { job_title: 'B' } })).toEqual([ids[3], ids[5]]);
    expect(await query({ filter: { job_title: 'nobody' } })).toEqual([]);
  });
});
