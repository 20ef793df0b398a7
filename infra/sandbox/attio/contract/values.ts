/**
 * A record's `values` / an entry's `entry_values`: for each attribute slug, an array of value items, each
 * the spec's shape for its `attribute_type` plus the history fields (active_from, active_until,
 * created_by_actor). The spec writes this as a `oneOf`; the types are all distinct, so a switch on
 * `attribute_type` (if/then) accepts exactly the same items and reports the one shape that failed
 * instead of seventeen.
 */
import { ACTOR_TYPES, CURRENCY_CODES, actor, boolean, countryCode, nullableString, string, uuid, type Schema } from './common.ts';
import { selectOption, status } from './options.ts';

const history: Record<string, Schema> = {
  active_from: { type: 'string', format: 'date-time' },
  active_until: { type: ['string', 'null'], format: 'date-time' },
  created_by_actor: actor,
};

/** One value shape: history + own fields, all required unless listed in `optional`; closed unless `open`. */
function valueItem(type: string, fields: Record<string, Schema>, options: { optional?: string[]; open?: boolean } = {}): Schema {
  const properties = { ...history, ...fields, attribute_type: { const: type } };
  const optional = new Set(options.optional ?? []);
  return {
    type: 'object',
    properties,
    required: Object.keys(properties).filter((k) => !optional.has(k)),
    ...(options.open ? {} : { additionalProperties: false }),
  };
}

const latitude: Schema = { type: ['string', 'null'], pattern: '^[-+]?([1-8]?\\d(\\.\\d+)?|90(\\.0+)?)$' };
const longitude: Schema = { type: ['string', 'null'], pattern: '^[-+]?(180(\\.0+)?|((1[0-7]\\d)|([1-9]?\\d))(\\.\\d+)?)$' };

/** Keyed by attribute_type. The spec leaves email-address, number and phone-number items open. */
export const VALUE_SHAPES: Record<string, Schema> = {
  'actor-reference': valueItem('actor-reference', {
    referenced_actor_type: { type: 'string', enum: ACTOR_TYPES },
    referenced_actor_id: { type: ['string', 'null'], format: 'uuid' },
  }),
  checkbox: valueItem('checkbox', { value: boolean }),
  currency: valueItem('currency', { currency_value: { type: 'number' }, currency_code: { type: ['string', 'null'], enum: [...CURRENCY_CODES, null] } }, { optional: ['currency_code'] }),
  date: valueItem('date', { value: string }),
  domain: valueItem('domain', { domain: string, root_domain: string }),
  'email-address': valueItem('email-address', {
    original_email_address: string, email_address: string, email_domain: string, email_root_domain: string, email_local_specifier: string,
  }, { open: true }),
  'record-reference': valueItem('record-reference', { target_object: string, target_record_id: uuid }),
  interaction: valueItem('interaction', {
    interaction_type: { type: 'string', enum: ['calendar-event', 'call', 'chat-thread', 'email', 'in-person-meeting', 'meeting'] },
    interacted_at: { type: 'string', format: 'date-time' },
    owner_actor: actor,
  }),
  location: valueItem('location', {
    line_1: nullableString, line_2: nullableString, line_3: nullableString, line_4: nullableString,
    locality: nullableString, region: nullableString, postcode: nullableString,
    country_code: { anyOf: [countryCode, { type: 'null' }] }, latitude, longitude,
  }),
  number: valueItem('number', { value: { type: 'number' } }, { open: true }),
  'personal-name': valueItem('personal-name', { first_name: string, last_name: string, full_name: string }),
  'phone-number': valueItem('phone-number', { original_phone_number: string, country_code: countryCode, phone_number: string }, { open: true }),
  status: valueItem('status', { status }),
  rating: valueItem('rating', { value: { type: 'number' } }),
  select: valueItem('select', { option: selectOption }),
  text: valueItem('text', { value: string }),
  // The spec's format here says "date" while its description and example are full ISO 8601 timestamps
  // ("2023-01-01T15:00:00.000000000Z"); the example is what Attio returns.
  timestamp: valueItem('timestamp', { value: { type: 'string', format: 'date-time' } }),
};

export const valueItemSchema: Schema = {
  type: 'object',
  required: ['attribute_type'],
  properties: { attribute_type: { enum: Object.keys(VALUE_SHAPES) } },
  allOf: Object.entries(VALUE_SHAPES).map(([type, shape]) => ({ if: { properties: { attribute_type: { const: type } } }, then: shape })),
};

export const attributeValues: Schema = { type: 'object', additionalProperties: { type: 'array', items: valueItemSchema } };
