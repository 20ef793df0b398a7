/**
 * Building blocks of the Attio contract schemas (JSON Schema 2020-12, as OpenAPI 3.1 uses). Written by
 * hand from Attio's published OpenAPI document: its `nullable: true` (an OpenAPI 3.0 leftover in a 3.1
 * file) is written here as a `null` type, which is what it means.
 */
export type Schema = Record<string, unknown>;

export const uuid: Schema = { type: 'string', format: 'uuid' };
export const string: Schema = { type: 'string' };
export const boolean: Schema = { type: 'boolean' };
export const nullableString: Schema = { type: ['string', 'null'] };

/** An object whose listed properties are all required (the spec's common case). */
export function object(properties: Record<string, Schema>, extra: Schema = {}): Schema {
  return { type: 'object', properties, required: Object.keys(properties), ...extra };
}

/** `{ data: <schema> }`, the envelope of every Attio success body except /v2/self and deletes. */
export const data = (schema: Schema): Schema => object({ data: schema });
export const dataList = (item: Schema): Schema => object({ data: { type: 'array', items: item } });

export const ACTOR_TYPES = ['api-token', 'workspace-member', 'system', 'app'] as const;

/** `created_by_actor` and similar: both keys optional in the spec, each nullable. */
export const actor: Schema = {
  type: 'object',
  properties: { id: nullableString, type: { type: ['string', 'null'], enum: [...ACTOR_TYPES, null] } },
};

export const CURRENCY_CODES = [
  'ARS', 'AUD', 'BRL', 'BGN', 'CAD', 'CLP', 'CNY', 'COP', 'CZK', 'DKK', 'EUR', 'HKD', 'HUF', 'ISK', 'INR', 'ILS', 'JPY', 'KES', 'KRW', 'MYR',
  'MXN', 'NTD', 'NZD', 'NGN', 'NOK', 'XPF', 'PEN', 'PHP', 'PLN', 'GBP', 'RWF', 'SAR', 'SGD', 'ZAR', 'SEK', 'CHF', 'THB', 'AED', 'UYU', 'USD',
] as const;

/**
 * The spec enumerates ISO 3166-1 alpha-2 codes (plus XK, AN and AC); two capital letters is the shape
 * that matters to a client, and it keeps a 250-entry list out of this file.
 */
export const countryCode: Schema = { type: 'string', pattern: '^[A-Z]{2}$' };

export const ACCESS_LEVELS = ['full-access', 'read-and-write', 'read-only'] as const;

export const ATTRIBUTE_TYPES = [
  'text', 'number', 'checkbox', 'currency', 'date', 'timestamp', 'rating', 'status', 'select', 'record-reference', 'actor-reference',
  'location', 'domain', 'email-address', 'phone-number', 'interaction', 'personal-name',
] as const;
