/**
 * Affinity v1 response schemas from the v1 docs' resource tables and examples. Closed objects: a listing
 * may carry only what the docs promise for it, so a sandbox (or a connector's fixture) cannot be more
 * generous than the real API again; fields that appear only with a query flag or only on the single GET
 * are added by the functions below, from the request's query.
 */
import { arrayOf, boolean, closed, id, nullableString, string, type Schema } from './common.ts';

const ids = arrayOf({ type: 'integer' });
const integer: Schema = { type: 'integer' };
const nullableInteger: Schema = { type: ['integer', 'null'] };
const dateTime: Schema = { type: 'string', format: 'date-time' };
const nullableDateTime: Schema = { type: ['string', 'null'], format: 'date-time' };

/** `list_entries` items of a person or organization (the docs' examples: no entity_type). */
const entryRef: Schema = closed({ id, list_id: id, creator_id: integer, entity_id: id, created_at: dateTime });
/** An opportunity's `list_entries` items carry `entity_type` (8) in the docs' examples. */
const opportunityEntryRef: Schema = closed({ id, list_id: id, creator_id: integer, entity_id: id, entity_type: { type: 'integer', const: 8 }, created_at: dateTime });

export interface EntityFlags {
  single: boolean;
  withOpportunities: boolean;
  withCurrentOrganizations: boolean;
}

export const flagsOf = (query: URLSearchParams, single: boolean): EntityFlags => ({
  single,
  withOpportunities: query.get('with_opportunities') === 'true',
  withCurrentOrganizations: query.get('with_current_organizations') === 'true',
});

/** The person resource: base fields always; organization_ids and list_entries on GET /persons/{id} only ("Does not include…" in the listing). */
export function person(flags: EntityFlags): Schema {
  const properties: Record<string, Schema> = {
    id, type: { type: 'integer', enum: [0, 1] }, first_name: string, last_name: string, primary_email: nullableString, emails: arrayOf(string),
  };
  if (flags.single) Object.assign(properties, { organization_ids: ids, list_entries: arrayOf(entryRef) });
  if (flags.withOpportunities) properties.opportunity_ids = ids;
  if (flags.withCurrentOrganizations) properties.current_organization_ids = ids;
  return closed(properties);
}

/** The organization resource: the listing example's five fields; person_ids and list_entries on the single GET. */
export function organization(flags: EntityFlags): Schema {
  const properties: Record<string, Schema> = { id, name: string, domain: nullableString, domains: arrayOf(string), global: boolean };
  if (flags.single) Object.assign(properties, { person_ids: ids, list_entries: arrayOf(entryRef) });
  if (flags.withOpportunities) properties.opportunity_ids = ids;
  return closed(properties);
}

export const opportunity: Schema = closed({ id, name: string, person_ids: ids, organization_ids: ids, list_entries: arrayOf(opportunityEntryRef, { maxItems: 1 }) });

export const pageOf = (key: string, item: Schema): Schema => closed({ [key]: arrayOf(item), next_page_token: nullableString });

export const list: Schema = closed({
  id, type: { type: 'integer', enum: [0, 1, 8] }, name: string, public: boolean, owner_id: integer, creator_id: integer, list_size: integer,
  additional_permissions: arrayOf(closed({ internal_person_id: integer, role_id: { type: 'integer', enum: [0, 1, 2] } })),
}, ['id', 'type', 'name', 'public', 'owner_id', 'list_size']);

const dropdownOption: Schema = closed({ id, text: string, rank: integer, color: integer });
export const field: Schema = closed({
  id, name: string, list_id: nullableInteger, allows_multiple: boolean, value_type: { type: 'integer', enum: [0, 1, 2, 3, 4, 5, 6, 7] },
  dropdown_options: arrayOf(dropdownOption), enrichment_source: nullableString, track_changes: boolean,
}, ['id', 'name', 'list_id', 'allows_multiple', 'value_type', 'dropdown_options']);

export const listWithFields: Schema = { ...list, properties: { ...(list.properties as Record<string, Schema>), fields: arrayOf(field) }, required: [...(list.required as string[]), 'fields'] };

/** A list entry: id, list_id, creator_id, entity_id, entity, created_at (the List Entry Resource table). */
export const listEntry: Schema = closed({ id, list_id: id, creator_id: integer, entity_id: id, entity: { type: 'object' }, created_at: dateTime });

const location: Schema = closed({ street_address: nullableString, city: nullableString, state: nullableString, country: nullableString, continent: nullableString });
export const fieldValue: Schema = closed({
  id, field_id: id, list_entry_id: nullableInteger, entity_id: id, entity_type: integer, value_type: integer,
  value: { anyOf: [{ type: ['string', 'number', 'null'] }, location, dropdownOption] }, created_at: dateTime, updated_at: nullableDateTime,
}, ['id', 'field_id', 'list_entry_id', 'entity_id', 'value', 'created_at', 'updated_at']);

export const note: Schema = closed({
  id, creator_id: integer, person_ids: ids, associated_person_ids: ids, interaction_person_ids: ids, interaction_id: nullableInteger,
  interaction_type: nullableInteger, is_meeting: boolean, mentioned_person_ids: ids, organization_ids: ids, opportunity_ids: ids,
  parent_id: nullableInteger, content: string, type: { type: 'integer', enum: [0, 1, 2, 3] }, created_at: dateTime, updated_at: nullableDateTime,
}, ['id', 'creator_id', 'person_ids', 'organization_ids', 'opportunity_ids', 'parent_id', 'content', 'type', 'created_at', 'updated_at']);

/**
 * GET /rate-limit. The docs type every number as an integer; a pool the sandbox runs without a limit
 * reports "unlimited" (the docs call Enterprise's monthly quota "Unlimited" without saying how it is
 * reported), so that string is accepted for `limit` and `remaining`.
 */
const pool: Schema = closed({ limit: { type: ['integer', 'string'] }, remaining: { type: ['integer', 'string'] }, reset: integer, used: integer });
export const rateLimit: Schema = closed({ rate: closed({ org_monthly: pool, api_key_per_minute: pool }) });

export const whoAmI: Schema = closed({
  tenant: closed({ id, name: string, subdomain: string }),
  user: closed({ id, firstName: string, lastName: string, email: string }),
  grant: closed({ type: string, scope: string, createdAt: dateTime }),
});

/** The v1 docs list error statuses but no body; clients read `errors[].message`, which the sandbox sends. */
export const error: Schema = closed({ errors: arrayOf(closed({ message: string, param: string }, ['message']), { minItems: 1 }) });
export const ERROR_STATUSES = [401, 403, 404, 422, 429, 500, 503];
