import { describe, expect, it } from 'vitest';
import { createContractRecorder, type ContractExchange } from '../../core/contract.ts';
import { checkAttioContract } from './index.ts';

const WS = '14beef7a-99f7-4534-a87e-70b564330a4c';
const OBJ = '97052eb9-e65e-443f-a297-f2d9a4a7f795';
const LIST = '33ebdbe9-e529-47c9-b894-0ba25e9c15c0';
const ATTR = '41252299-f8c7-4b5e-99c9-4ff8321d2f96';
const REC = 'bf071e1f-6035-429d-b874-d83ea64ea13b';
const OPT = 'a1b2c3d4-0000-4000-8000-000000000001';
const AT = '2023-01-01T15:00:00.000000000Z';
const ACTOR = { type: 'api-token', id: 'b8f3d2a2-9c1e-4b7f-8a53-1f0c8e2d7a61' };

const exchange = (over: Partial<ContractExchange>): ContractExchange => ({
  method: 'GET', path: '/v2/self', query: new URLSearchParams(), status: 200, requestBody: undefined, responseBody: {}, ...over,
});
const item = (fields: Record<string, unknown>) => ({ active_from: AT, active_until: null, created_by_actor: ACTOR, ...fields });
const option = (parent: Record<string, string>) => ({ id: { workspace_id: WS, ...parent, attribute_id: ATTR, option_id: OPT }, title: 'Hot', is_archived: false });
const record = (values: Record<string, unknown[]>) => ({
  id: { workspace_id: WS, object_id: OBJ, record_id: REC }, created_at: AT, web_url: 'https://app.attio.com/acme/people/x', values,
});
const attribute = (over: Record<string, unknown> = {}) => ({
  id: { workspace_id: WS, object_id: LIST, attribute_id: ATTR }, title: 'Stage', description: null, api_slug: 'stage', type: 'select',
  is_system_attribute: false, is_writable: true, is_required: false, is_unique: false, is_multiselect: false, is_default_value_enabled: false,
  is_archived: false, default_value: null, relationship: null, created_at: AT,
  config: { currency: { default_currency_code: null, display_type: null }, record_reference: { allowed_object_ids: null } }, ...over,
});
const errorsOf = (ex: ContractExchange) => checkAttioContract(ex).flatMap((v) => v.errors.map((e) => `${v.where}: ${e}`));

describe('checkAttioContract: responses', () => {
  it('accepts a record whose values have the spec shapes, and rejects each broken value shape', () => {
    const values = {
      name: [item({ first_name: 'Ada', last_name: 'Lovelace', full_name: 'Ada Lovelace', attribute_type: 'personal-name' })],
      email_addresses: [item({ original_email_address: 'A@x.com', email_address: 'a@x.com', email_domain: 'x.com', email_root_domain: 'x.com', email_local_specifier: 'a', attribute_type: 'email-address' })],
      company: [item({ target_object: 'companies', target_record_id: REC, attribute_type: 'record-reference' })],
      categories: [item({ option: option({ object_id: OBJ }), attribute_type: 'select' })],
      created_at: [item({ value: AT, attribute_type: 'timestamp' })],
      job_title: [],
    };
    const ok = exchange({ method: 'GET', path: `/v2/objects/people/records/${REC}`, responseBody: { data: record(values) } });
    expect(errorsOf(ok)).toEqual([]);

    const noHistory = { data: record({ job_title: [{ value: 'CEO', attribute_type: 'text' }] }) };
    expect(errorsOf({ ...ok, responseBody: noHistory }).join()).toMatch(/active_from/);
    const extraField = { data: record({ job_title: [item({ value: 'CEO', attribute_type: 'text', label: 'x' })] }) };
    expect(errorsOf({ ...ok, responseBody: extraField }).join()).toMatch(/additional properties/);
    const listIdOption = { data: record({ categories: [item({ option: option({ list_id: LIST }), attribute_type: 'select' })] }) };
    expect(errorsOf({ ...ok, responseBody: listIdOption }).join()).toMatch(/object_id/);
    const unknownType = { data: record({ x: [item({ value: 1, attribute_type: 'vector' })] }) };
    expect(errorsOf({ ...ok, responseBody: unknownType }).join()).toMatch(/attribute_type/);
    expect(errorsOf({ ...ok, responseBody: { data: { ...record({}), web_url: 'not a url' } } }).join()).toMatch(/web_url/);
  });

  it('holds attributes to object_id in their ids (lists too) and to the full relationship', () => {
    const ok = exchange({ path: '/v2/lists/deals_pipeline/attributes', responseBody: { data: [attribute()] } });
    expect(errorsOf(ok)).toEqual([]);
    const listId = attribute({ id: { workspace_id: WS, list_id: LIST, attribute_id: ATTR } });
    expect(errorsOf({ ...ok, responseBody: { data: [listId] } }).join()).toMatch(/object_id/);
    const relationship = { id: { workspace_id: WS, object_id: OBJ, attribute_id: ATTR }, object_slug: 'companies', title: 'Team', api_slug: 'team', is_multiselect: true };
    expect(errorsOf({ ...ok, responseBody: { data: [attribute({ type: 'record-reference', relationship })] } })).toEqual([]);
    const nullId = { ...relationship, id: null };
    expect(errorsOf({ ...ok, responseBody: { data: [attribute({ relationship: nullId })] } }).join()).toMatch(/relationship/);
  });

  it('requires every field of an active token on /v2/self', () => {
    const self = {
      active: true, scope: 'record_permission:read-write', client_id: 'c1', token_type: 'Bearer', exp: null, iat: 1700000000, sub: WS, aud: 'c1',
      iss: 'attio.com', authorized_by_workspace_member_id: ACTOR.id, workspace_id: WS, workspace_name: 'Acme', workspace_slug: 'acme', workspace_logo_url: null,
    };
    expect(errorsOf(exchange({ responseBody: self }))).toEqual([]);
    expect(errorsOf(exchange({ responseBody: { active: false } }))).toEqual([]);
    const { iss: _iss, ...withoutIss } = self;
    expect(errorsOf(exchange({ responseBody: withoutIss })).join()).toMatch(/iss/);
  });

  it('errors: the documented status carries its one code; other statuses the generic shape; unknown routes and statuses are violations', () => {
    const create = exchange({ method: 'POST', path: '/v2/objects/people/records', status: 400 });
    expect(errorsOf({ ...create, responseBody: { status_code: 400, type: 'invalid_request_error', code: 'value_not_found', message: 'x' } })).toEqual([]);
    expect(errorsOf({ ...create, responseBody: { status_code: 400, type: 'invalid_request_error', code: 'uniqueness_violation', message: 'x' } }).join()).toMatch(/code/);
    const note = exchange({ method: 'POST', path: '/v2/notes', status: 413 });
    expect(errorsOf({ ...note, responseBody: { status_code: 413, type: 'invalid_request_error', code: 'anything', message: 'too big' } })).toEqual([]);
    expect(errorsOf({ ...note, responseBody: { status_code: 413, code: 'anything', message: 'too big' } }).join()).toMatch(/type/);
    const limited = exchange({ status: 429, responseBody: { status_code: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded', message: 'slow down' } });
    expect(errorsOf(limited)).toEqual([]);
    expect(errorsOf({ ...limited, responseBody: { ...limited.responseBody as object, status_code: 400 } }).join()).toMatch(/status_code/);
    expect(errorsOf(exchange({ status: 201, responseBody: {} })).join()).toMatch(/status 201/);
    const unknown = checkAttioContract(exchange({ path: '/v2/tasks' }));
    expect(unknown).toHaveLength(1);
    expect(unknown[0]?.errors.join()).toMatch(/no Attio operation/);
  });
});

describe('checkAttioContract: requests', () => {
  const assert = (body: unknown, query = 'matching_attribute=email_addresses') =>
    exchange({ method: 'PUT', path: '/v2/objects/people/records', query: new URLSearchParams(query), requestBody: body, responseBody: { data: record({}) } });

  it('wants arrays of values under data.values, and the required matching_attribute', () => {
    expect(errorsOf(assert({ data: { values: { email_addresses: ['a@x.com'] } } }))).toEqual([]);
    expect(errorsOf(assert({ data: { values: { email_addresses: 'a@x.com' } } })).join()).toMatch(/request: .*must be array/);
    expect(errorsOf(assert({ data: { values: {} }, extra: 1 }))).toEqual([]);
    expect(errorsOf(assert({ data: { values: {}, extra: 1 } })).join()).toMatch(/additional properties/);
    expect(errorsOf(assert({ data: { values: {} } }, '')).join()).toMatch(/matching_attribute/);
    expect(errorsOf(assert({ data: { values: {} } }, 'matching_attribute=x&debug=1')).join()).toMatch(/debug/);
  });

  it('checks request bodies only on accepted requests: a refused body says nothing about the client', () => {
    const refused = { ...assert({ nonsense: true }), status: 400, responseBody: { status_code: 400, type: 'invalid_request_error', code: 'value_not_found', message: 'x' } };
    expect(errorsOf(refused)).toEqual([]);
  });

  it('notes: format enum and a uuid parent', () => {
    const note = (data: Record<string, unknown>) => exchange({ method: 'POST', path: '/v2/notes', requestBody: { data }, responseBody: {} });
    const body = { parent_object: 'people', parent_record_id: REC, title: 't', format: 'markdown', content: 'c' };
    expect(errorsOf(note(body)).filter((e) => e.startsWith('request'))).toEqual([]);
    expect(errorsOf(note({ ...body, format: 'html' })).join()).toMatch(/request: \/data\/format/);
    expect(errorsOf(note({ ...body, parent_record_id: '42' })).join()).toMatch(/request: \/data\/parent_record_id/);
  });
});

describe('contract recorder', () => {
  it('counts every exchange and violation, keeps the first ones in full, and treats a throwing checker as a violation', () => {
    const recorder = createContractRecorder(checkAttioContract, { keep: 2 });
    for (let i = 0; i < 3; i += 1) recorder.check(exchange({ path: '/v2/tasks' }));
    recorder.check(exchange({ responseBody: { active: false } }));
    let snap = recorder.snapshot();
    expect(snap).toMatchObject({ checked: 4, violations: 3, byRoute: { 'GET /v2/tasks': 3 } });
    expect(snap.recent).toHaveLength(2);

    const throwing = createContractRecorder(() => {
      throw new Error('boom');
    });
    throwing.check(exchange({}));
    expect(throwing.snapshot().recent[0]?.errors[0]).toMatch(/boom/);
    recorder.reset();
    snap = recorder.snapshot();
    expect(snap).toMatchObject({ checked: 0, violations: 0, byRoute: {}, recent: [] });
  });
});
