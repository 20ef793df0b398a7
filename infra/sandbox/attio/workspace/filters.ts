import { filterError } from '../errors.ts';
import { parseEmail, parseDomain } from '../values/normalise.ts';
import { findAttribute } from './attributes.ts';
import type { Attribute, AttributeContainer, SelectOption, StoredItem, ValuedRow } from './types.ts';

/**
 * The subset of Attio's filter language the sandbox understands:
 *   { slug: value }                         equality on the attribute's main property
 *   { slug: { $eq|$in|$contains|$starts_with|$ends_with|$not_empty|$gt|$gte|$lt|$lte: x } }
 *   { slug: { property: value | {$op: x} } }   e.g. { email_addresses: { email_address: "a@b.c" } }
 *   { $and: [...] }, { $or: [...] }, { $not: {...} }, and the pseudo-attributes record_id / parent_record_id.
 */
export type RowPredicate = (row: ValuedRow) => boolean;

const MAIN_PROPERTY: Record<string, string> = {
  text: 'value', number: 'value', checkbox: 'value', date: 'value', timestamp: 'value', rating: 'value',
  currency: 'currency_value', select: 'option', status: 'status', 'personal-name': 'full_name',
  'email-address': 'email_address', domain: 'domain', 'phone-number': 'phone_number', location: 'locality',
  'record-reference': 'target_record_id', 'actor-reference': 'referenced_actor_id',
};

const OPERATORS = new Set(['$eq', '$in', '$contains', '$starts_with', '$ends_with', '$not_empty', '$gt', '$gte', '$lt', '$lte']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Normalises a filter operand the way stored values are normalised, so equality matches indexes. */
export function normaliseOperand(attribute: Attribute, property: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (property === 'email_address') return parseEmail(value)?.email_address ?? value.toLowerCase();
  if (property === 'domain' && attribute.type === 'domain') return parseDomain(value)?.domain ?? value.toLowerCase();
  return value;
}

function propertyOf(item: StoredItem, property: string): unknown {
  const v = item.data[property];
  // Options and statuses are matched by title (or id).
  if ((property === 'option' || property === 'status') && isObject(v)) return (v as unknown as SelectOption).title;
  return v;
}

function matchesOperand(actual: unknown, operand: unknown, attribute: Attribute, property: string): boolean {
  if (!isObject(operand)) return actual === normaliseOperand(attribute, property, operand);
  for (const [op, raw] of Object.entries(operand)) {
    if (!OPERATORS.has(op)) throw filterError(`Unknown filter operator "${op}" on "${attribute.slug}"`);
    const x = normaliseOperand(attribute, property, raw);
    const ok = (() => {
      switch (op) {
        case '$eq': return actual === x;
        case '$in': return Array.isArray(raw) && raw.some((r) => actual === normaliseOperand(attribute, property, r));
        case '$contains': return typeof actual === 'string' && typeof x === 'string' && actual.toLowerCase().includes(x.toLowerCase());
        case '$starts_with': return typeof actual === 'string' && typeof x === 'string' && actual.startsWith(x);
        case '$ends_with': return typeof actual === 'string' && typeof x === 'string' && actual.endsWith(x);
        case '$gt': return typeof actual === typeof x && (actual as number) > (x as number);
        case '$gte': return typeof actual === typeof x && (actual as number) >= (x as number);
        case '$lt': return typeof actual === typeof x && (actual as number) < (x as number);
        case '$lte': return typeof actual === typeof x && (actual as number) <= (x as number);
        default: return true;
      }
    })();
    if (!ok) return false;
  }
  return true;
}

function attributeCondition(attribute: Attribute, condition: unknown): RowPredicate {
  const main = MAIN_PROPERTY[attribute.type] ?? 'value';
  if (isObject(condition) && '$not_empty' in condition) {
    const want = condition.$not_empty !== false;
    return (row) => ((row.values.get(attribute.slug)?.length ?? 0) > 0) === want;
  }
  // { property: operand } when every key is a non-operator; otherwise operators on the main property.
  const propertyForm = isObject(condition) && Object.keys(condition).length > 0 && Object.keys(condition).every((k) => !k.startsWith('$'));
  const checks: [string, unknown][] = propertyForm ? Object.entries(condition as Record<string, unknown>) : [[main, condition]];
  return (row) => {
    const items = row.values.get(attribute.slug);
    if (!items) return false;
    return items.some((item) => checks.every(([property, operand]) => matchesOperand(propertyOf(item, property), operand, attribute, property)));
  };
}

const ID_ATTRIBUTE: Attribute = {
  id: '', slug: 'record_id', title: '', description: null, type: 'text', isRequired: false, isUnique: true, isMultiselect: false,
  isWritable: false, isSystem: true, custom: false, currencyCode: null, allowedObjects: [], relationship: null, options: new Map(), statuses: new Map(), createdAt: '',
};

export function compileFilter(container: AttributeContainer, filter: unknown, pseudo: Record<string, (row: ValuedRow) => unknown> = {}): RowPredicate {
  if (filter === undefined || filter === null) return () => true;
  if (!isObject(filter)) throw filterError('filter must be an object');
  const parts: RowPredicate[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(condition)) throw filterError(`${key} takes an array of filters`);
      const subs = condition.map((f) => compileFilter(container, f, pseudo));
      parts.push(key === '$and' ? (row) => subs.every((s) => s(row)) : (row) => subs.some((s) => s(row)));
    } else if (key === '$not') {
      const sub = compileFilter(container, condition, pseudo);
      parts.push((row) => !sub(row));
    } else if (key === 'record_id' || key in pseudo) {
      const read = pseudo[key] ?? ((row: ValuedRow) => row.id);
      parts.push((row) => matchesOperand(read(row), condition, ID_ATTRIBUTE, 'value'));
    } else {
      const attribute = findAttribute(container, key);
      if (!attribute) throw filterError(`Unknown attribute "${key}" in filter`);
      parts.push(attributeCondition(attribute, condition));
    }
  }
  return (row) => parts.every((p) => p(row));
}

/**
 * Equality on a unique attribute (or record_id) alone → the normalised key to look up in the index,
 * so the upsert-heavy benchmark's verification queries do not scan.
 */
export function uniqueLookup(container: AttributeContainer, filter: unknown): { slug: string; key: string } | undefined {
  const lookup = equalityLookup(container, filter);
  if (!lookup?.attribute.isUnique) return undefined;
  return { slug: lookup.slug, key: String(lookup.value) };
}

/**
 * A filter that is one equality on one attribute's main property (`{ slug: v }`, `{ slug: { $eq: v } }`,
 * `{ slug: { <main>: v } }`) → the attribute and the normalised value; anything else → undefined.
 */
export function equalityLookup(container: AttributeContainer, filter: unknown): { slug: string; attribute: Attribute; value: string | number } | undefined {
  if (!isObject(filter)) return undefined;
  const keys = Object.keys(filter);
  if (keys.length !== 1) return undefined;
  const slug = keys[0] as string;
  let operand = filter[slug];
  const attribute = slug === 'record_id' ? ID_ATTRIBUTE : findAttribute(container, slug);
  if (!attribute) return undefined;
  const main = MAIN_PROPERTY[attribute.type] ?? 'value';
  if (isObject(operand) && Object.keys(operand).length === 1 && main in operand) operand = operand[main];
  if (isObject(operand) && Object.keys(operand).length === 1 && '$eq' in operand) operand = operand.$eq;
  if (typeof operand !== 'string' && typeof operand !== 'number') return undefined;
  const value = normaliseOperand(attribute, main, operand) as string | number;
  return { slug: attribute.slug, attribute, value };
}
