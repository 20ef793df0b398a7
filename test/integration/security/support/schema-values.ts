import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { JsonSchema } from './operations.ts';

const typeOf = (s: JsonSchema): string | undefined => (Array.isArray(s.type) ? s.type[0] : s.type) ?? (s.properties ? 'object' : undefined);

/**
 * The object schema a body is checked against: the schema itself, or the first variant of a
 * `oneOf`/`anyOf` (e.g. the connection body, one variant per connection type).
 */
export function objectShape(schema: JsonSchema): JsonSchema {
  if (schema.properties) return schema;
  return (schema.oneOf ?? schema.anyOf)?.find((s) => s.properties) ?? schema;
}

/**
 * A small valid value for `schema` (required properties only), overridable per property name:
 * enough for a body to pass validation so a test reaches the handler (e.g. its 404).
 */
export function sampleValid(schema: JsonSchema, overrides: Record<string, unknown> = {}): unknown {
  if (schema.example !== undefined && typeOf(schema) !== 'object') return schema.example;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const alt = schema.anyOf ?? schema.oneOf;
  if (alt?.[0]) return sampleValid(alt[0], overrides);
  switch (typeOf(schema)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? []) out[name] = name in overrides ? overrides[name] : sampleValid(schema.properties?.[name] ?? {}, overrides);
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sampleValid(schema.items ?? {}, overrides));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'string':
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'uri' || schema.format === 'url') return 'http://127.0.0.1:9/x';
      return 'a'.repeat(Math.max(1, schema.minLength ?? 1));
    default:
      return null;
  }
}

/** A value of the wrong JSON type for `schema`. */
export function wrongType(schema: JsonSchema): unknown {
  switch (typeOf(schema)) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return 'not-a-number';
    case 'boolean':
      return 'yes';
    case 'array':
      return { not: 'an array' };
    case 'object':
      return ['not', 'an', 'object'];
    default:
      return undefined;
  }
}

/** Every (property path, bad value) pair: wrong types everywhere, and unknown values for enums. */
export function badFieldValues(schema: JsonSchema, prefix: string[] = []): { path: string[]; value: unknown; kind: 'type' | 'enum' }[] {
  const out: { path: string[]; value: unknown; kind: 'type' | 'enum' }[] = [];
  for (const [name, prop] of Object.entries(objectShape(schema).properties ?? {})) {
    const path = [...prefix, name];
    const wrong = wrongType(prop);
    if (wrong !== undefined) out.push({ path, value: wrong, kind: 'type' });
    if (prop.enum || prop.const !== undefined) out.push({ path, value: 'zz-not-a-known-value', kind: 'enum' });
    if (prop.items?.enum) out.push({ path, value: ['zz-not-a-known-value'], kind: 'enum' });
    if (typeOf(prop) === 'object' && prop.properties && prefix.length < 3) out.push(...badFieldValues(prop, path));
  }
  return out;
}

/** `base` (an object) with the value at `path` replaced. */
export function withValue(base: unknown, path: string[], value: unknown): unknown {
  const root = structuredClone(base) as Record<string, unknown>;
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null || Array.isArray(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
  return root;
}

/**
 * A fast-check arbitrary of values shaped like `schema` (right property names, often right types,
 * sometimes not): explores the validation edges better than fully random JSON. uuid fields draw
 * from `knownIds` too.
 */
export function arbitraryFor(schema: JsonSchema, knownIds: string[] = [], depth = 0): fc.Arbitrary<unknown> {
  const noise = fc.jsonValue({ maxDepth: 2 });
  if (depth > 3) return noise;
  let shaped: fc.Arbitrary<unknown>;
  const alternatives = schema.properties ? undefined : (schema.oneOf ?? schema.anyOf);
  if (alternatives && alternatives.length > 0) shaped = fc.oneof(...alternatives.map((a) => arbitraryFor(a, knownIds, depth + 1)));
  else if (schema.const !== undefined) shaped = fc.constantFrom(schema.const, 'zz-unknown');
  else if (schema.enum) shaped = fc.constantFrom(...schema.enum, 'zz-unknown');
  else {
    switch (typeOf(schema)) {
      case 'object': {
        const props = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, arbitraryFor(v, knownIds, depth + 1)]));
        shaped = fc.record(props, { requiredKeys: [] }).chain((r) => fc.oneof(
          fc.constant(r),
          fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }).map((extra) => ({ ...extra, ...r })),
        ));
        break;
      }
      case 'array':
        shaped = fc.array(arbitraryFor(schema.items ?? {}, knownIds, depth + 1), { maxLength: 12 });
        break;
      case 'integer':
        shaped = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 31, Number.MAX_SAFE_INTEGER, schema.minimum ?? 1, schema.maximum ?? 10), fc.double());
        break;
      case 'number':
        shaped = fc.oneof(fc.double({ noNaN: true }), fc.integer());
        break;
      case 'boolean':
        shaped = fc.boolean();
        break;
      case 'string':
        shaped = fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.string({ unit: 'binary', maxLength: 40 }),
          fc.constantFrom('', ' ', '\u0000', '../../etc/passwd', "' or 1=1 --", '%00', '\ud800', 'a'.repeat(5000)),
          // Real ids of both tenants: a body naming another tenant's object must not reach it.
          schema.format === 'uuid' && knownIds.length > 0 ? fc.oneof(fc.uuid(), fc.constantFrom(...knownIds)) : fc.constant('http://127.0.0.1:9/x'),
          // Strings the document declares valid, e.g. base URLs and cursors.
          schema.pattern ? fc.stringMatching(new RegExp(schema.pattern), { maxLength: 200 }) : fc.constant('x'),
        );
        break;
      default:
        shaped = noise;
    }
  }
  return fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: noise });
}

/** Ids a generated value may name, by property or parameter name (the tenant's real objects). */
export type KnownIds = Record<string, string>;

const typesOf = (s: JsonSchema): string[] => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ['object'] : []);

/**
 * Values that satisfy `schema` as the OpenAPI document states it (Schemathesis' positive data):
 * patterns, formats, ranges, enums, `oneOf` variants, required properties. Strings never hold NUL
 * (a rule the document states once, globally). uuid fields named in `ids` get that real id half the time.
 */
export function validFor(schema: JsonSchema, ids: KnownIds = {}, name = '', depth = 0): fc.Arbitrary<unknown> {
  const alternatives = schema.properties ? undefined : (schema.oneOf ?? schema.anyOf);
  if (alternatives && alternatives.length > 0) return fc.oneof(...alternatives.map((a) => validFor(a, ids, name, depth + 1)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const types = typesOf(schema);
  if (types.length > 1) return fc.oneof(...types.map((type) => validFor({ ...schema, type }, ids, name, depth)));
  switch (types[0]) {
    case 'object': {
      if (depth > 4) return fc.constant({});
      const required = schema.required ?? [];
      const props = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, validFor(v, ids, k, depth + 1)]));
      const record = fc.record(props, { requiredKeys: required.filter((k) => k in props) });
      const extra = schema.additionalProperties;
      const names = schema.propertyNames;
      if (extra && typeof extra === 'object' && !schema.properties) {
        const key = names?.pattern ? fc.stringMatching(new RegExp(names.pattern), { maxLength: 12 }) : fc.string({ maxLength: 12 }).filter((k) => !k.includes('\u0000'));
        return fc.dictionary(key, validFor(extra, ids, '', depth + 1), { maxKeys: 3 });
      }
      return record;
    }
    case 'array':
      return fc.array(validFor(schema.items ?? {}, ids, name, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.max(schema.minItems ?? 0, 4) });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'string': {
      const id = ids[name];
      if (schema.format === 'uuid') return id ? fc.oneof(fc.constant(id), fc.uuid()) : fc.uuid();
      if (schema.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      const min = schema.minLength ?? 0;
      const max = Math.min(schema.maxLength ?? 60, 200);
      if (schema.pattern) {
        const matching = fc.stringMatching(new RegExp(schema.pattern), { maxLength: max }).filter((s) => s.length >= min && !s.includes('\u0000'));
        return id ? fc.oneof(fc.constant(id), matching) : matching;
      }
      return fc.string({ minLength: min, maxLength: max }).filter((s) => !s.includes('\u0000'));
    }
    default:
      return fc.jsonValue({ maxDepth: 1 }).filter((v) => !JSON.stringify(v).includes('\\u0000'));
  }
}
