/** Request bodies of the Attio operations the connector sends, as the OpenAPI document requires them. */
import { ACCESS_LEVELS, CURRENCY_CODES, boolean, data, object, string, uuid, type Schema } from './common.ts';

/** Attribute values to write: every value is an array (of items or plain values), per attribute slug. */
const valuesToWrite: Schema = { type: 'object', additionalProperties: { type: 'array' } };

/** POST records: `data.values` (other keys tolerated by the spec). */
export const createRecord: Schema = data(object({ values: valuesToWrite }));

/** PUT (assert) and PATCH/PUT by id: `data` holds `values` and nothing else. */
export const writeRecord: Schema = data(object({ values: valuesToWrite }, { additionalProperties: false }));

const sort: Schema = {
  anyOf: [
    { type: 'object', properties: { direction: { enum: ['asc', 'desc'] }, attribute: string, field: string }, required: ['direction', 'attribute'] },
    {
      type: 'object',
      properties: { direction: { enum: ['asc', 'desc'] }, path: { type: 'array', items: { type: 'array', items: string, minItems: 2, maxItems: 2 } }, field: string },
      required: ['direction', 'path'],
    },
  ],
};

/** Records and entries queries: every key optional. */
export const query: Schema = {
  type: 'object',
  properties: { filter: { type: 'object' }, sorts: { type: 'array', items: sort }, limit: { type: 'number' }, offset: { type: 'number' } },
};

export const createEntry: Schema = data(object({ parent_record_id: uuid, parent_object: string, entry_values: valuesToWrite }));

export const updateEntry: Schema = data(object({ entry_values: valuesToWrite }, { additionalProperties: false }));

export const createNote: Schema = data({
  type: 'object',
  properties: {
    parent_object: string,
    parent_record_id: uuid,
    title: string,
    format: { enum: ['plaintext', 'markdown'] },
    content: string,
    created_at: string,
    meeting_id: { type: ['string', 'null'], format: 'uuid' },
  },
  required: ['parent_object', 'parent_record_id', 'title', 'format', 'content'],
});

/** Attribute creation: closed `data`; `interaction` and `personal-name` cannot be created. */
export const createAttribute: Schema = data({
  type: 'object',
  properties: {
    title: string,
    description: { type: ['string', 'null'] },
    api_slug: string,
    type: {
      enum: ['text', 'number', 'checkbox', 'currency', 'date', 'timestamp', 'rating', 'status', 'select', 'record-reference', 'actor-reference',
        'location', 'domain', 'email-address', 'phone-number'],
    },
    is_required: boolean,
    is_unique: boolean,
    is_multiselect: boolean,
    default_value: { anyOf: [{ type: 'null' }, { type: 'object', required: ['type', 'template'], properties: { type: { enum: ['dynamic', 'static'] }, template: {} } }] },
    relationship: {
      anyOf: [{ type: 'null' }, object({ object: string, title: string, api_slug: string, is_multiselect: boolean }, { additionalProperties: false })],
    },
    config: {
      type: 'object',
      properties: {
        currency: object({ default_currency_code: { enum: CURRENCY_CODES }, display_type: { enum: ['code', 'name', 'narrowSymbol', 'symbol'] } }),
        record_reference: object({ allowed_objects: { type: 'array', items: string, minItems: 1 } }),
      },
    },
  },
  required: ['title', 'description', 'api_slug', 'type', 'is_required', 'is_unique', 'is_multiselect', 'config'],
  additionalProperties: false,
});

export const createOption: Schema = data({ type: 'object', properties: { title: { type: 'string', minLength: 1 } }, required: ['title'] });

export const createStatus: Schema = data({
  type: 'object',
  properties: {
    title: { type: 'string', minLength: 1 },
    celebration_enabled: boolean,
    target_time_in_status: { type: ['string', 'null'], pattern: '^P' },
  },
  required: ['title'],
});

export const createList: Schema = data(object({
  name: string,
  api_slug: string,
  parent_object: string,
  workspace_access: { enum: [...ACCESS_LEVELS, null] },
  workspace_member_access: { type: 'array', items: object({ workspace_member_id: uuid, level: { enum: ACCESS_LEVELS } }) },
}));
