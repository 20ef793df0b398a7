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
