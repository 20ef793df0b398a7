/**
 * The Affinity operations the sandbox serves, each with what its published source promises: the 200
 * body (v2: the OpenAPI entry's schema; v1: the docs' resource, shaped by the request's flags), the error
 * statuses it shows and the query parameters it defines.
 */
import type { Schema } from './common.ts';
import * as v1 from './v1-shapes.ts';
import * as v2 from './v2-shapes.ts';

export interface QueryRule {
  /** Parameter names the operation defines (a `*` suffix matches a prefix: v1's `min_…_date`). */
  allowed: string[];
  /** `limit` bounds (v2) or `page_size` bounds (v1). */
  limit?: { name: 'limit' | 'page_size'; min: number; max: number };
  /** Parameters whose every value must be one of these. */
  enums?: Record<string, readonly string[]>;
  /** Parameters whose every value must be a positive integer. */
  integers?: string[];
  booleans?: string[];
}

export interface Operation {
  version: 'v1' | 'v2';
  method: 'GET';
  /** The published path template, naming the route in violations. */
  route: string;
  /** Router patterns (`:name` segments). */
  patterns: string[];
  ok: Schema | ((query: URLSearchParams) => Schema);
  /** v2 error statuses the operation documents (others fall back to the spec's default `Errors`). */
  errors: readonly (400 | 403 | 404)[];
  query: QueryRule;
}

const v2Page = (extra: string[] = [], min = 1): QueryRule => ({ allowed: ['cursor', 'limit', ...extra], limit: { name: 'limit', min, max: 100 } });
const ENTITY_FIELD_TYPES = ['enriched', 'global', 'relationship-intelligence'] as const;
const LIST_FIELD_TYPES = ['enriched', 'global', 'list', 'relationship-intelligence'] as const;
const NOTE_INCLUDES = ['companiesPreview', 'personsPreview', 'opportunitiesPreview', 'repliesCount'] as const;
const notesQuery = (extra: string[] = []): QueryRule => ({ ...v2Page(['totalCount', 'filter', ...extra], 0), booleans: ['totalCount'] });

const get = (version: 'v1' | 'v2', route: string, ok: Operation['ok'], query: QueryRule = { allowed: [] }, errors: Operation['errors'] = [400, 404]): Operation => ({
  version, method: 'GET', route, patterns: [route.replace(/\{(\w+)\}/g, ':$1')], ok, errors, query,
});

const V2: Operation[] = [
  get('v2', '/v2/auth/whoami', v2.whoAmI, undefined, [404]),
  get('v2', '/v2/companies', v2.paged(v2.company), { ...v2Page(['ids', 'fieldIds', 'fieldTypes']), integers: ['ids'], enums: { fieldTypes: ENTITY_FIELD_TYPES } }, [400, 403]),
  get('v2', '/v2/companies/fields', v2.paged(v2.fieldMetadata), v2Page(), [400]),
  get('v2', '/v2/companies/{companyId}', v2.company, { allowed: ['fieldIds', 'fieldTypes'], enums: { fieldTypes: ENTITY_FIELD_TYPES } }, [400, 403, 404]),
  get('v2', '/v2/companies/{companyId}/notes', v2.notesPaged, notesQuery()),
  get('v2', '/v2/companies/{companyId}/list-entries', v2.paged(v2.listEntry), v2Page(), [400, 403, 404]),
  get('v2', '/v2/companies/{companyId}/lists', v2.paged(v2.list), v2Page(), [400, 403, 404]),
  get('v2', '/v2/persons', v2.paged(v2.person), { ...v2Page(['ids', 'fieldIds', 'fieldTypes']), integers: ['ids'], enums: { fieldTypes: ENTITY_FIELD_TYPES } }, [400, 403]),
  get('v2', '/v2/persons/fields', v2.paged(v2.fieldMetadata), v2Page(), [400]),
  get('v2', '/v2/persons/{personId}', v2.person, { allowed: ['fieldIds', 'fieldTypes'], enums: { fieldTypes: ENTITY_FIELD_TYPES } }, [400, 403, 404]),
  get('v2', '/v2/persons/{personId}/notes', v2.notesPaged, notesQuery()),
  get('v2', '/v2/persons/{personId}/list-entries', v2.paged(v2.listEntry), v2Page(), [400, 403, 404]),
  get('v2', '/v2/persons/{personId}/lists', v2.paged(v2.list), v2Page(), [400, 403, 404]),
  get('v2', '/v2/opportunities', v2.paged(v2.opportunity), { ...v2Page(['ids']), integers: ['ids'] }, [400, 403, 404]),
  get('v2', '/v2/opportunities/{opportunityId}', v2.opportunity, undefined, [400, 403, 404]),
  get('v2', '/v2/opportunities/{opportunityId}/notes', v2.notesPaged, notesQuery()),
  get('v2', '/v2/lists', v2.paged(v2.listWithType), v2Page(), [400]),
  get('v2', '/v2/lists/{listId}', v2.listWithType),
  get('v2', '/v2/lists/{listId}/fields', v2.paged(v2.fieldMetadata), v2Page()),
  get('v2', '/v2/lists/{listId}/list-entries', v2.listEntryWithEntityPaged, { ...v2Page(['fieldIds', 'fieldTypes']), enums: { fieldTypes: LIST_FIELD_TYPES } }, [400, 403, 404]),
  get('v2', '/v2/lists/{listId}/list-entries/{listEntryId}', v2.listEntryWithEntity, { allowed: ['fieldIds', 'fieldTypes'], enums: { fieldTypes: LIST_FIELD_TYPES } }, [400, 403, 404]),
  get('v2', '/v2/notes', v2.notesPaged, { ...notesQuery(['includes']), enums: { includes: NOTE_INCLUDES } }),
  get('v2', '/v2/notes/{noteId}', v2.note, { allowed: ['includes'], enums: { includes: NOTE_INCLUDES } }),
  get('v2', '/v2/notes/{noteId}/attached-persons', v2.paged(v2.personData), { ...v2Page(['totalCount'], 0), booleans: ['totalCount'] }),
  get('v2', '/v2/notes/{noteId}/attached-companies', v2.paged(v2.companyData), { ...v2Page(['totalCount'], 0), booleans: ['totalCount'] }),
  get('v2', '/v2/notes/{noteId}/attached-opportunities', v2.paged(v2.opportunity), { ...v2Page(['totalCount'], 0), booleans: ['totalCount'] }),
  get('v2', '/v2/notes/{noteId}/replies', v2.repliesPaged, notesQuery()),
  get('v2', '/v2/person-merges', v2.paged(v2.personMergeState), v2Page(['filter']), [400, 403]),
  get('v2', '/v2/person-merges/{mergeId}', v2.personMergeState, undefined, [400, 403, 404]),
  get('v2', '/v2/company-merges', v2.paged(v2.companyMergeState), v2Page(['filter']), [400, 403]),
  get('v2', '/v2/company-merges/{mergeId}', v2.companyMergeState, undefined, [400, 403, 404]),
];

const v1Page = (extra: string[] = []): QueryRule => ({ allowed: ['page_size', 'page_token', ...extra], limit: { name: 'page_size', min: 1, max: 500 } });
const INTERACTION_FLAGS = ['term', 'with_interaction_dates', 'with_interaction_persons', 'min_*', 'max_*'];
const entityFlags = (kind: 'person' | 'organization', single: boolean) => (query: URLSearchParams) => {
  const flags = v1.flagsOf(query, single);
  const item = kind === 'person' ? v1.person(flags) : v1.organization(flags);
  return single ? item : v1.pageOf(kind === 'person' ? 'persons' : 'organizations', item);
};

const V1: Operation[] = [
  get('v1', '/persons', entityFlags('person', false), { ...v1Page([...INTERACTION_FLAGS, 'with_opportunities', 'with_current_organizations']) }),
  get('v1', '/persons/fields', { type: 'array', items: v1.field }),
  get('v1', '/persons/{person_id}', entityFlags('person', true), { allowed: ['with_interaction_dates', 'with_interaction_persons', 'with_opportunities', 'with_current_organizations'] }),
  get('v1', '/organizations', entityFlags('organization', false), { ...v1Page([...INTERACTION_FLAGS, 'with_opportunities']) }),
  get('v1', '/organizations/fields', { type: 'array', items: v1.field }),
  get('v1', '/organizations/{organization_id}', entityFlags('organization', true), { allowed: ['with_interaction_dates', 'with_interaction_persons', 'with_opportunities'] }),
  get('v1', '/opportunities', v1.pageOf('opportunities', v1.opportunity), v1Page(['term'])),
  get('v1', '/opportunities/{opportunity_id}', v1.opportunity),
  get('v1', '/lists', { type: 'array', items: v1.list }),
  get('v1', '/lists/{list_id}', v1.listWithFields),
  // Without page_size: every entry as a bare array; with it: a page (the docs' two shapes).
  get('v1', '/lists/{list_id}/list-entries', (q) => (q.has('page_size') || q.has('page_token') ? v1.pageOf('list_entries', v1.listEntry) : { type: 'array', items: v1.listEntry }),
    { allowed: ['page_size', 'page_token'], limit: { name: 'page_size', min: 1, max: 500 } }),
  get('v1', '/lists/{list_id}/list-entries/{list_entry_id}', v1.listEntry),
  get('v1', '/fields', { type: 'array', items: v1.field }, { allowed: ['list_id', 'value_type', 'entity_type', 'with_modified_names', 'exclude_dropdown_options'] }),
  get('v1', '/field-values', { type: 'array', items: v1.fieldValue }, { allowed: ['person_id', 'organization_id', 'opportunity_id', 'list_entry_id'], integers: ['person_id', 'organization_id', 'opportunity_id', 'list_entry_id'] }),
  // The docs' parameters (page_size, page_token) make GET /notes a page like the entity searches.
  get('v1', '/notes', v1.pageOf('notes', v1.note), { ...v1Page(['person_id', 'organization_id', 'opportunity_id', 'creator_id']), integers: ['person_id', 'organization_id', 'opportunity_id', 'creator_id'] }),
  get('v1', '/notes/{note_id}', v1.note),
  get('v1', '/rate-limit', v1.rateLimit),
  get('v1', '/auth/whoami', v1.whoAmI),
];

export const OPERATIONS: readonly Operation[] = [...V2, ...V1];
