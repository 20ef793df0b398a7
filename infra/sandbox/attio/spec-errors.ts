/**
 * The error codes the sandbox may put on the wire. Attio's OpenAPI document shows, per operation, a few
 * error statuses with one `type` and one `code` each; an answer with such a status carries exactly that
 * pair, whatever the sandbox's own reason was (the reason stays in `message`). Any other error status
 * (401, 413, 429, 5xx, or a 400 on an operation whose spec shows none) gets a generic code per status,
 * which the spec does not name and no client may branch on: Freight classifies by status and `type`.
 *
 * Keyed by `METHOD pattern` of the sandbox's router (routes/*.ts). Kept apart from the contract's own
 * table (contract/operations.ts) on purpose: the contract test must catch a mistake here.
 */
import { AttioApiError, type AttioErrorType } from './errors.ts';

const NF = { 404: 'not_found' };
const attributeRoutes = (suffix: string, method: string, codes: Record<number, string>) =>
  Object.fromEntries(['objects', 'lists'].map((target) => [`${method} /v2/${target}/:parent/attributes${suffix}`, codes]));

const DOCUMENTED: Record<string, Record<number, string>> = {
  'GET /v2/objects/:object': NF,
  ...attributeRoutes('', 'POST', { 400: 'validation_type', ...NF, 409: 'slug_conflict' }),
  ...attributeRoutes('/:attribute', 'GET', NF),
  ...attributeRoutes('/:attribute/options', 'GET', NF),
  ...attributeRoutes('/:attribute/options', 'POST', { 400: 'validation_type', ...NF, 409: 'slug_conflict' }),
  ...attributeRoutes('/:attribute/statuses', 'GET', NF),
  ...attributeRoutes('/:attribute/statuses', 'POST', { 400: 'validation_type', ...NF, 409: 'slug_conflict' }),
  'POST /v2/objects/:object/records/query': { 400: 'filter_error', ...NF },
  'POST /v2/objects/:object/records': { 400: 'value_not_found', ...NF },
  'PUT /v2/objects/:object/records': { 400: 'value_not_found', ...NF },
  'GET /v2/objects/:object/records/:record': NF,
  'PATCH /v2/objects/:object/records/:record': { 400: 'missing_value', ...NF },
  'PUT /v2/objects/:object/records/:record': { 400: 'missing_value', ...NF },
  'DELETE /v2/objects/:object/records/:record': NF,
  'POST /v2/lists': { 400: 'value_not_found', 403: 'billing_error', ...NF, 409: 'slug_conflict' },
  'GET /v2/lists/:list': NF,
  'POST /v2/lists/:list/entries/query': NF,
  'POST /v2/lists/:list/entries': { 400: 'value_not_found', ...NF },
  'PUT /v2/lists/:list/entries': { 400: 'multiple_match_results', ...NF },
  'GET /v2/lists/:list/entries/:entry': NF,
  'PATCH /v2/lists/:list/entries/:entry': { 400: 'immutable_value', ...NF },
  'PUT /v2/lists/:list/entries/:entry': { 400: 'immutable_value', ...NF },
  'DELETE /v2/lists/:list/entries/:entry': NF,
  'GET /v2/notes': NF,
  'POST /v2/notes': NF,
  'GET /v2/notes/:note': NF,
  'DELETE /v2/notes/:note': NF,
};

/** Codes for statuses an operation's spec does not show: not Attio's words, only placeholders. */
const GENERIC: Record<number, string> = {
  400: 'validation_type', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 409: 'conflict',
  413: 'payload_too_large', 429: 'rate_limit_exceeded', 500: 'internal_server_error', 502: 'bad_gateway', 503: 'service_unavailable',
};

export function genericType(status: number): AttioErrorType {
  if (status === 401 || status === 403) return 'auth_error';
  if (status === 429) return 'rate_limit_error';
  return status >= 500 ? 'api_error' : 'invalid_request_error';
}

/** The error as the wire shows it for `METHOD pattern`: the spec's code where it names one, else the generic one. */
export function specError(method: string, pattern: string | undefined, error: AttioApiError): AttioApiError {
  const documented = pattern === undefined ? undefined : DOCUMENTED[`${method} ${pattern}`]?.[error.status];
  const code = documented ?? GENERIC[error.status] ?? 'error';
  const type: AttioErrorType = documented ? (error.status === 403 ? 'auth_error' : 'invalid_request_error') : genericType(error.status);
  if (code === error.code && type === error.type) return error;
  return new AttioApiError(error.status, code, error.message, type, error.poison);
}
