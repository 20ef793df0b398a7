import { describe, expect, it } from 'vitest';
import { checkAttioContract } from '../../../../infra/sandbox/attio/contract/index.ts';
import type { FailedResponse } from '../../../connectors/http/http-client.ts';
import { classifyAttioError } from './attio-errors.ts';

/**
 * Error bodies in the shape of the examples of Attio's OpenAPI document (status_code, type, code,
 * message; our own wording), each for an operation whose spec shows that status, plus answers the spec
 * does not show (401, 413, 429, 5xx, an undocumented code, a proxy's HTML page).
 */
interface Fixture {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  status: number;
  body: unknown;
  kind: string;
  details: Record<string, unknown>;
}

const body = (status: number, type: string, code: string, message: string) => ({ status_code: status, type, code, message });
const invalid = (status: number, code: string, message: string) => body(status, 'invalid_request_error', code, message);

const FIXTURES: Fixture[] = [
  { name: 'unknown select option on create', method: 'POST', path: '/v2/objects/companies/records', status: 400,
    body: invalid(400, 'value_not_found', 'No select option titled "Tier 9".'), kind: 'validation', details: { type: 'invalid_request_error', code: 'value_not_found' } },
  { name: 'required value missing on update', method: 'PATCH', path: '/v2/objects/deals/records/6a1e3c1e-2f7b-4a53-9f1d-0c9a5b2e4d11', status: 400,
    body: invalid(400, 'missing_value', 'Attribute "owner" needs a value.'), kind: 'validation', details: { type: 'invalid_request_error', code: 'missing_value' } },
  { name: 'bad filter', method: 'POST', path: '/v2/objects/people/records/query', status: 400,
    body: invalid(400, 'filter_error', 'The filter could not be read.'), kind: 'validation', details: { type: 'invalid_request_error', code: 'filter_error' } },
  { name: 'several entries for one parent', method: 'PUT', path: '/v2/lists/pipeline/entries', status: 400,
    body: invalid(400, 'multiple_match_results', 'That parent has more than one entry.'), kind: 'validation', details: { type: 'invalid_request_error', code: 'multiple_match_results' } },
  { name: 'entry parent changed', method: 'PATCH', path: '/v2/lists/pipeline/entries/0d0f3c52-7d0a-4c39-b2a5-3b9f8e2f6a77', status: 400,
    body: invalid(400, 'immutable_value', 'An entry keeps its parent.'), kind: 'validation', details: { type: 'invalid_request_error', code: 'immutable_value' } },
  { name: 'bad attribute definition', method: 'POST', path: '/v2/objects/deals/attributes', status: 400,
    body: invalid(400, 'validation_type', 'That type cannot be created.'), kind: 'validation', details: { type: 'invalid_request_error', code: 'validation_type' } },
  { name: 'plan does not allow the list access', method: 'POST', path: '/v2/lists', status: 403,
    body: body(403, 'auth_error', 'billing_error', 'Your plan does not include this access setting.'), kind: 'quota_exceeded', details: { type: 'auth_error', code: 'billing_error' } },
  { name: 'record gone', method: 'GET', path: '/v2/objects/people/records/6a1e3c1e-2f7b-4a53-9f1d-0c9a5b2e4d11', status: 404,
    body: invalid(404, 'not_found', 'No record with that id.'), kind: 'not_found', details: { type: 'invalid_request_error', code: 'not_found' } },
  { name: 'attribute slug taken', method: 'POST', path: '/v2/objects/deals/attributes', status: 409,
    body: invalid(409, 'slug_conflict', 'An attribute already uses that slug.'), kind: 'validation', details: { type: 'invalid_request_error', code: 'slug_conflict' } },
  { name: 'bad token (status the spec does not show)', method: 'GET', path: '/v2/self', status: 401,
    body: body(401, 'auth_error', 'unauthorized', 'Token not recognised.'), kind: 'auth', details: { type: 'auth_error' } },
  { name: 'note too large (status the spec does not show)', method: 'POST', path: '/v2/notes', status: 413,
    body: invalid(413, 'payload_too_large', 'Too large.'), kind: 'validation', details: { type: 'invalid_request_error' } },
  { name: 'rate limited', method: 'POST', path: '/v2/objects/people/records', status: 429,
    body: body(429, 'rate_limit_error', 'rate_limit_exceeded', 'Slow down.'), kind: 'rate_limited', details: { type: 'rate_limit_error' } },
  { name: 'undocumented code on a documented status', method: 'POST', path: '/v2/objects/people/records', status: 400,
    body: invalid(400, 'uniqueness_violation', 'That email belongs to another person.'), kind: 'validation', details: { type: 'invalid_request_error' } },
  { name: 'auth_error type on a 400', method: 'PATCH', path: '/v2/objects/people/records/6a1e3c1e-2f7b-4a53-9f1d-0c9a5b2e4d11', status: 400,
    body: body(400, 'auth_error', 'missing_value', 'Token lacks record_permission:read-write.'), kind: 'auth', details: { type: 'auth_error', code: 'missing_value' } },
  { name: 'server error', method: 'GET', path: '/v2/objects', status: 503,
    body: body(503, 'api_error', 'service_unavailable', 'Try again.'), kind: 'transient', details: {} },
  { name: 'proxy HTML page', method: 'GET', path: '/v2/objects', status: 502, body: '<html>Bad gateway</html>', kind: 'transient', details: {} },
];

const failed = (f: Fixture): FailedResponse => ({ method: f.method, path: f.path, status: f.status, headers: { get: () => null }, body: f.body, retryAfterMs: undefined });

describe('classifyAttioError', () => {
  it.each(FIXTURES)('$name → $kind', (f) => {
    const error = classifyAttioError(failed(f));
    expect(error.kind).toBe(f.kind);
    expect(error.status).toBe(f.status);
    expect(error.details).toEqual(f.details);
    expect(error.message).toContain(`Attio ${f.method} ${f.path} → ${f.status}`);
  });

  it('the fixtures of documented statuses have the shape of the published schema (and the undocumented one does not)', () => {
    for (const f of FIXTURES.filter((x) => typeof x.body === 'object' && x.status < 500)) {
      const violations = checkAttioContract({ method: f.method, path: f.path, query: new URLSearchParams(), status: f.status, requestBody: undefined, responseBody: f.body });
      if (f.name.startsWith('undocumented code') || f.name.startsWith('auth_error type')) expect(violations, f.name).not.toEqual([]);
      else expect(violations, f.name).toEqual([]);
    }
  });
});
