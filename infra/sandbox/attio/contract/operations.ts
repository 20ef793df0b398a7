/**
 * The Attio operations the sandbox serves and the connector calls, each with what its OpenAPI entry
 * promises: the request body, the 200 body, the error statuses it shows (with their one code) and the
 * query parameters it takes.
 */
import { data, dataList, type Schema } from './common.ts';
import { invalid, type DocumentedError } from './errors.ts';
import * as req from './requests.ts';
import * as shape from './shapes.ts';

export interface Operation {
  method: string;
  /** The spec's path template, used to name the route in violations. */
  route: string;
  /** Router patterns (`:name` segments) this operation answers on. */
  patterns: string[];
  request?: Schema;
  ok: Schema;
  errors: Record<number, DocumentedError>;
  /** Query parameters the spec defines; `required` ones must be present. */
  query?: { allowed: string[]; required?: string[] };
}

const notFound = { 404: invalid('not_found') };
const both = (suffix: string) => [`/v2/objects/:identifier${suffix}`, `/v2/lists/:identifier${suffix}`];
const attributes = '/v2/{target}/{identifier}/attributes';

export const OPERATIONS: Operation[] = [
  { method: 'GET', route: '/v2/self', patterns: ['/v2/self'], ok: shape.self, errors: {} },
  { method: 'GET', route: '/v2/workspace_members', patterns: ['/v2/workspace_members'], ok: dataList(shape.workspaceMember), errors: {} },
  { method: 'GET', route: '/v2/objects', patterns: ['/v2/objects'], ok: dataList(shape.attioObject), errors: {} },
  { method: 'GET', route: '/v2/objects/{object}', patterns: ['/v2/objects/:object'], ok: data(shape.attioObject), errors: notFound },

  { method: 'GET', route: attributes, patterns: both('/attributes'), ok: dataList(shape.attribute), errors: {},
    query: { allowed: ['limit', 'offset', 'show_archived'] } },
  { method: 'POST', route: attributes, patterns: both('/attributes'), request: req.createAttribute, ok: data(shape.attribute),
    errors: { 400: invalid('validation_type'), ...notFound, 409: invalid('slug_conflict') } },
  { method: 'GET', route: `${attributes}/{attribute}`, patterns: both('/attributes/:attribute'), ok: data(shape.attribute), errors: notFound },
  { method: 'GET', route: `${attributes}/{attribute}/options`, patterns: both('/attributes/:attribute/options'), ok: dataList(shape.selectOption), errors: notFound,
    query: { allowed: ['show_archived'] } },
  { method: 'POST', route: `${attributes}/{attribute}/options`, patterns: both('/attributes/:attribute/options'), request: req.createOption,
    ok: data(shape.selectOption), errors: { 400: invalid('validation_type'), ...notFound, 409: invalid('slug_conflict') } },
  { method: 'GET', route: `${attributes}/{attribute}/statuses`, patterns: both('/attributes/:attribute/statuses'), ok: dataList(shape.status), errors: notFound,
    query: { allowed: ['show_archived'] } },
  { method: 'POST', route: `${attributes}/{attribute}/statuses`, patterns: both('/attributes/:attribute/statuses'), request: req.createStatus,
    ok: data(shape.status), errors: { 400: invalid('validation_type'), ...notFound, 409: invalid('slug_conflict') } },

  { method: 'POST', route: '/v2/objects/{object}/records/query', patterns: ['/v2/objects/:object/records/query'], request: req.query,
    ok: dataList(shape.record), errors: { 400: invalid('filter_error'), ...notFound } },
  { method: 'POST', route: '/v2/objects/{object}/records', patterns: ['/v2/objects/:object/records'], request: req.createRecord,
    ok: data(shape.record), errors: { 400: invalid('value_not_found'), ...notFound } },
  { method: 'PUT', route: '/v2/objects/{object}/records', patterns: ['/v2/objects/:object/records'], request: req.writeRecord,
    ok: data(shape.record), errors: { 400: invalid('value_not_found'), ...notFound }, query: { allowed: ['matching_attribute'], required: ['matching_attribute'] } },
  { method: 'GET', route: '/v2/objects/{object}/records/{record_id}', patterns: ['/v2/objects/:object/records/:record'], ok: data(shape.record), errors: notFound },
  { method: 'PATCH', route: '/v2/objects/{object}/records/{record_id}', patterns: ['/v2/objects/:object/records/:record'], request: req.writeRecord,
    ok: data(shape.record), errors: { 400: invalid('missing_value'), ...notFound } },
  { method: 'PUT', route: '/v2/objects/{object}/records/{record_id}', patterns: ['/v2/objects/:object/records/:record'], request: req.writeRecord,
    ok: data(shape.record), errors: { 400: invalid('missing_value'), ...notFound } },
  { method: 'DELETE', route: '/v2/objects/{object}/records/{record_id}', patterns: ['/v2/objects/:object/records/:record'], ok: shape.empty, errors: notFound },

  { method: 'GET', route: '/v2/lists', patterns: ['/v2/lists'], ok: dataList(shape.list), errors: {} },
  { method: 'POST', route: '/v2/lists', patterns: ['/v2/lists'], request: req.createList, ok: data(shape.list),
    errors: { 400: invalid('value_not_found'), 403: { type: 'auth_error', code: 'billing_error' }, ...notFound, 409: invalid('slug_conflict') } },
  { method: 'GET', route: '/v2/lists/{list}', patterns: ['/v2/lists/:list'], ok: data(shape.list), errors: notFound },
  { method: 'POST', route: '/v2/lists/{list}/entries/query', patterns: ['/v2/lists/:list/entries/query'], request: req.query, ok: dataList(shape.listEntry), errors: notFound },
  { method: 'POST', route: '/v2/lists/{list}/entries', patterns: ['/v2/lists/:list/entries'], request: req.createEntry, ok: data(shape.listEntry),
    errors: { 400: invalid('value_not_found'), ...notFound } },
  { method: 'PUT', route: '/v2/lists/{list}/entries', patterns: ['/v2/lists/:list/entries'], request: req.createEntry, ok: data(shape.listEntry),
    errors: { 400: invalid('multiple_match_results'), ...notFound } },
  { method: 'GET', route: '/v2/lists/{list}/entries/{entry_id}', patterns: ['/v2/lists/:list/entries/:entry'], ok: data(shape.listEntry), errors: notFound },
  { method: 'PATCH', route: '/v2/lists/{list}/entries/{entry_id}', patterns: ['/v2/lists/:list/entries/:entry'], request: req.updateEntry,
    ok: data(shape.listEntry), errors: { 400: invalid('immutable_value'), ...notFound } },
  { method: 'PUT', route: '/v2/lists/{list}/entries/{entry_id}', patterns: ['/v2/lists/:list/entries/:entry'], request: req.updateEntry,
    ok: data(shape.listEntry), errors: { 400: invalid('immutable_value'), ...notFound } },
  { method: 'DELETE', route: '/v2/lists/{list}/entries/{entry_id}', patterns: ['/v2/lists/:list/entries/:entry'], ok: shape.empty, errors: notFound },

  { method: 'GET', route: '/v2/notes', patterns: ['/v2/notes'], ok: dataList(shape.note), errors: notFound,
    query: { allowed: ['limit', 'offset', 'parent_object', 'parent_record_id'] } },
  { method: 'POST', route: '/v2/notes', patterns: ['/v2/notes'], request: req.createNote, ok: data(shape.note), errors: notFound },
  { method: 'GET', route: '/v2/notes/{note_id}', patterns: ['/v2/notes/:note'], ok: data(shape.note), errors: notFound },
  { method: 'DELETE', route: '/v2/notes/{note_id}', patterns: ['/v2/notes/:note'], ok: shape.empty, errors: notFound },
];
