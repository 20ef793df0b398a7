/**
 * Attio's response objects as its OpenAPI document gives them (components `object`, `attribute`,
 * `select-option`, `status`, `list`, `workspace-member`, `note`, and the inline record / list entry /
 * token shapes of their operations).
 */
import {
  ACCESS_LEVELS, ATTRIBUTE_TYPES, CURRENCY_CODES, actor, boolean, nullableString, object, string, uuid, type Schema,
} from './common.ts';
import { attributeId, selectOption, status } from './options.ts';
import { attributeValues } from './values.ts';

export { selectOption, status };

const defaultValue: Schema = {
  anyOf: [
    { type: 'null' },
    object({ type: { const: 'dynamic' }, template: string }),
    object({ type: { const: 'static' }, template: { type: 'array', items: { type: 'object' } } }),
  ],
};

export const attribute: Schema = object({
  id: attributeId,
  title: string,
  description: nullableString,
  api_slug: string,
  type: { type: 'string', enum: ATTRIBUTE_TYPES },
  is_system_attribute: boolean,
  is_writable: boolean,
  is_required: boolean,
  is_unique: boolean,
  is_multiselect: boolean,
  is_default_value_enabled: boolean,
  is_archived: boolean,
  default_value: defaultValue,
  // The inverse attribute of a two-way relationship, fully identified; null when there is none.
  relationship: {
    anyOf: [{ type: 'null' }, object({ id: attributeId, object_slug: string, title: string, api_slug: string, is_multiselect: boolean })],
  },
  created_at: string,
  config: object({
    currency: object({
      default_currency_code: { type: ['string', 'null'], enum: [...CURRENCY_CODES, null] },
      display_type: { type: ['string', 'null'], enum: ['code', 'name', 'narrowSymbol', 'symbol', null] },
    }),
    record_reference: object({ allowed_object_ids: { type: ['array', 'null'], items: uuid } }),
  }),
});

export const attioObject: Schema = object({
  id: object({ workspace_id: uuid, object_id: uuid }),
  api_slug: nullableString,
  singular_noun: nullableString,
  plural_noun: nullableString,
  created_at: string,
});

export const list: Schema = object({
  id: object({ workspace_id: uuid, list_id: uuid }),
  api_slug: string,
  name: string,
  parent_object: { type: 'array', items: string },
  workspace_access: { type: ['string', 'null'], enum: [...ACCESS_LEVELS, null] },
  workspace_member_access: { type: 'array', items: object({ workspace_member_id: uuid, level: { type: 'string', enum: ACCESS_LEVELS } }) },
  created_by_actor: actor,
  created_at: string,
});

export const workspaceMember: Schema = object({
  id: object({ workspace_id: uuid, workspace_member_id: uuid }),
  first_name: string,
  last_name: string,
  avatar_url: { type: ['string', 'null'], format: 'uri' },
  email_address: { type: 'string', format: 'email' },
  created_at: string,
  access_level: { type: 'string', enum: ['admin', 'member', 'suspended'] },
});

const noteTag: Schema = {
  oneOf: [
    object({ type: { const: 'workspace-member' }, workspace_member_id: uuid }),
    object({ type: { const: 'record' }, object: string, record_id: uuid }),
  ],
};

export const note: Schema = object({
  id: object({ workspace_id: uuid, note_id: uuid }),
  parent_object: string,
  parent_record_id: uuid,
  title: string,
  meeting_id: { type: ['string', 'null'], format: 'uuid' },
  content_plaintext: string,
  content_markdown: string,
  tags: { type: 'array', items: noteTag },
  created_by_actor: actor,
  created_at: string,
});

export const record: Schema = object({
  id: object({ workspace_id: uuid, object_id: uuid, record_id: uuid }),
  created_at: string,
  web_url: { type: 'string', format: 'uri' },
  values: attributeValues,
});

export const listEntry: Schema = object({
  id: object({ workspace_id: uuid, list_id: uuid, entry_id: uuid }),
  parent_record_id: uuid,
  parent_object: string,
  created_at: string,
  entry_values: attributeValues,
});

/** GET /v2/self: an inactive token says only that; an active one has every field (nullable ones as null). */
export const self: Schema = {
  anyOf: [
    object({ active: { const: false } }),
    object({
      active: boolean,
      scope: string,
      client_id: string,
      token_type: { const: 'Bearer' },
      exp: { type: ['number', 'null'] },
      iat: { type: 'number' },
      sub: uuid,
      aud: string,
      iss: { const: 'attio.com' },
      authorized_by_workspace_member_id: uuid,
      workspace_id: uuid,
      workspace_name: string,
      workspace_slug: string,
      workspace_logo_url: { type: ['string', 'null'], format: 'uri' },
    }),
  ],
};

/** Deletes answer an empty object. */
export const empty: Schema = { type: 'object' };
