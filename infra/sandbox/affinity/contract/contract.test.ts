import { describe, expect, it } from 'vitest';
import type { ContractExchange } from '../../core/contract.ts';
import { checkAffinityContract } from './index.ts';

const exchange = (path: string, status: number, responseBody: unknown, query = ''): ContractExchange =>
  ({ method: 'GET', path, query: new URLSearchParams(query), status, requestBody: undefined, responseBody });

const company = { id: 1, name: 'Acme', domain: 'acme.co', domains: ['acme.co'], isGlobal: false };
const person = { id: 2, type: 0, first_name: 'Ada', last_name: 'L', primary_email: 'ada@acme.co', emails: ['ada@acme.co'] };
const pagination = { nextUrl: 'http://127.0.0.1:4010/v2/companies?cursor=abc', prevUrl: null };

describe('checkAffinityContract: v2', () => {
  it('passes a page of companies with fields inline as the spec has them', () => {
    const withFields = { ...company, fields: [{ id: 'field-1', name: 'Investors', type: 'global', enrichmentSource: null, value: { type: 'company-multi', data: [{ id: 3, name: 'B', domain: null }] } }] };
    expect(checkAffinityContract(exchange('/v2/companies', 200, { data: [company, withFields], pagination }, 'limit=2&fieldTypes=global'))).toEqual([]);
  });

  it('refuses what the spec does not have: an extra property, a wrong value shape, a limit over 100, an unknown parameter', () => {
    const [extra] = checkAffinityContract(exchange('/v2/companies', 200, { data: [{ ...company, person_ids: [2] }], pagination }));
    expect(extra).toMatchObject({ route: '/v2/companies', where: 'response' });
    const badValue = { ...company, fields: [{ id: 'x', name: 'x', type: 'global', enrichmentSource: null, value: { type: 'company-multi', data: [] , extra: 1 } }] };
    expect(checkAffinityContract(exchange('/v2/companies/1', 200, badValue))).toHaveLength(1);
    const [query] = checkAffinityContract(exchange('/v2/companies', 200, { data: [], pagination }, 'limit=500&page_size=3&fieldTypes=list'));
    expect(query?.where).toBe('request');
    expect(query?.errors.join(' ')).toMatch(/page_size.*not defined/);
    expect(query?.errors.join(' ')).toMatch(/limit must be/);
    expect(query?.errors.join(' ')).toMatch(/fieldTypes=list/);
  });

  it('holds errors to the documented status schemas and names unpublished routes', () => {
    expect(checkAffinityContract(exchange('/v2/persons/9', 404, { errors: [{ code: 'not-found', message: 'gone' }] }))).toEqual([]);
    expect(checkAffinityContract(exchange('/v2/persons/9', 404, { errors: [{ code: 'merged', message: 'gone' }] }))).toHaveLength(1);
    expect(checkAffinityContract(exchange('/v2/persons', 400, { errors: [{ code: 'validation', message: 'x' }] }))).toHaveLength(1);
    expect(checkAffinityContract(exchange('/v2/persons', 429, { errors: [{ code: 'rate-limit', message: 'slow down' }] }))).toEqual([]);
    expect(checkAffinityContract(exchange('/v2/interactions', 200, {}))[0]?.errors[0]).toMatch(/no published Affinity operation/);
  });
});

describe('checkAffinityContract: v1', () => {
  it('allows in a persons listing only the documented base fields, plus the flagged ones when asked', () => {
    const page = (p: object) => ({ persons: [p], next_page_token: null });
    expect(checkAffinityContract(exchange('/persons', 200, page(person)))).toEqual([]);
    expect(checkAffinityContract(exchange('/persons', 200, page({ ...person, organization_ids: [1] })))).toHaveLength(1);
    expect(checkAffinityContract(exchange('/persons', 200, page({ ...person, opportunity_ids: [1] })))).toHaveLength(1);
    expect(checkAffinityContract(exchange('/persons', 200, page({ ...person, opportunity_ids: [1], current_organization_ids: [1] }), 'with_opportunities=true&with_current_organizations=true'))).toEqual([]);
    const single = { ...person, organization_ids: [1], list_entries: [{ id: 5, list_id: 6, creator_id: 2, entity_id: 2, created_at: '2020-01-01T00:00:00Z' }] };
    expect(checkAffinityContract(exchange('/persons/2', 200, single))).toEqual([]);
    expect(checkAffinityContract(exchange('/persons/2', 200, { ...single, list_entries: [{ ...single.list_entries[0], entity_type: 0 }] }))).toHaveLength(1);
  });

  it('keeps organizations\' list_entries and person_ids to the single GET and v1 errors to the documented statuses', () => {
    const org = { id: 1, name: 'Acme', domain: null, domains: [], global: false };
    expect(checkAffinityContract(exchange('/organizations', 200, { organizations: [org], next_page_token: 'x' }))).toEqual([]);
    expect(checkAffinityContract(exchange('/organizations', 200, { organizations: [{ ...org, list_entries: [] }], next_page_token: null }))).toHaveLength(1);
    expect(checkAffinityContract(exchange('/organizations/1', 200, { ...org, person_ids: [], list_entries: [] }))).toEqual([]);
    expect(checkAffinityContract(exchange('/persons/1', 404, { errors: [{ message: 'Person not found' }] }))).toEqual([]);
    expect(checkAffinityContract(exchange('/persons/1', 405, { errors: [{ message: 'no' }] }))[0]?.errors[0]).toMatch(/v1 docs list/);
    expect(checkAffinityContract(exchange('/persons', 200, { persons: [], next_page_token: null }, 'page_size=501'))[0]?.where).toBe('request');
  });
});
