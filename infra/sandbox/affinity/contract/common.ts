/**
 * Building blocks of the Affinity contract schemas (JSON Schema 2020-12, as OpenAPI 3.1 uses), written by
 * hand: v2 from Affinity's published OpenAPI document (`components/schemas`), v1 from the v1 docs'
 * resource tables and examples.
 */
export type Schema = Record<string, unknown>;

export const string: Schema = { type: 'string' };
export const boolean: Schema = { type: 'boolean' };
export const nullableString: Schema = { type: ['string', 'null'] };
/** The spec's int64 ids: integer, 1 … 2^53 − 1. */
export const id: Schema = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER };
/** Note ids and mention ids are int32 in the spec. */
export const id32: Schema = { type: 'integer', minimum: 1, maximum: 2_147_483_647 };
export const count: Schema = { type: 'integer', minimum: 0 };
export const dateTime: Schema = { type: 'string', format: 'date-time' };
export const nullableDateTime: Schema = { type: ['string', 'null'], format: 'date-time' };
export const arrayOf = (items: Schema, extra: Schema = {}): Schema => ({ type: 'array', items, ...extra });

/**
 * A closed object (`additionalProperties: false`, as the spec writes most of its schemas): `required`
 * names the properties that must be present, the others may be absent but nothing else may appear.
 */
export function closed(properties: Record<string, Schema>, required: string[] = Object.keys(properties)): Schema {
  return { type: 'object', properties, required, additionalProperties: false };
}

/** An open object: the spec's notes schemas (composed with allOf) do not forbid other properties. */
export function open(properties: Record<string, Schema>, required: string[] = Object.keys(properties)): Schema {
  return { type: 'object', properties, required };
}

export const constant = (value: string): Schema => ({ type: 'string', const: value });
export const oneOf = (...schemas: Schema[]): Schema => ({ oneOf: schemas });
