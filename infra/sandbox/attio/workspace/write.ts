import { AttioApiError, immutableValue, missingValue, notFound, validationType } from '../errors.ts';
import { parseAttributeValue, type ParsedItem, type Resolver } from '../values/parse.ts';
import { findAttribute } from './attributes.ts';
import { reindex, type EqualityIndexes } from './equality-index.ts';
import { syncInverse } from './relationships.ts';
import type { Actor, Attribute, AttributeContainer, StoredItem, ValuedRow } from './types.ts';
import type { Workspace } from './workspace.ts';

/**
 * The one write path of records and entries: parse everything, check uniqueness and required values,
 * then mutate. Nothing is changed unless the whole write is valid.
 */
export interface WriteContext {
  ws: Workspace;
  resolver: Resolver;
  actor: Actor;
  /** ISO timestamp of this write (active_from of new values). */
  at: string;
}

export type WriteMode = (attribute: Attribute) => 'replace' | 'append';

export interface WriteTarget {
  container: AttributeContainer;
  /** Unique indexes (objects only). */
  unique?: Map<string, Map<string, string>>;
  /** Equality indexes to keep current (objects only). */
  equality?: EqualityIndexes;
  /** Object slug when relationship attributes should update their inverse. */
  objectSlug?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `data` object of a request body. */
export function dataObject(body: unknown): Record<string, unknown> {
  if (!isObject(body) || !isObject(body.data)) throw validationType('Body must be {"data": {...}}');
  return body.data;
}

/** Pulls `data.<field>` out of a request body, insisting on objects. */
export function dataField(body: unknown, field: string, required = true): Record<string, unknown> {
  const value = dataObject(body)[field];
  if (value === undefined && !required) return {};
  if (!isObject(value)) throw validationType(`data.${field} must be an object`);
  return value;
}

export function parseValues(container: AttributeContainer, values: Record<string, unknown>, resolver: Resolver): Map<Attribute, ParsedItem[]> {
  const parsed = new Map<Attribute, ParsedItem[]>();
  for (const key of Object.keys(values)) {
    const attribute = findAttribute(container, key);
    if (!attribute) throw notFound(`Cannot find attribute with slug/ID "${key}" on ${container.kind === 'objects' ? 'object' : 'list'} "${container.slug}"`);
    if (!attribute.isWritable) throw immutableValue(`Attribute "${attribute.slug}" is not writable`);
    parsed.set(attribute, parseAttributeValue(attribute, values[key], resolver));
  }
  return parsed;
}

export function applyWrite(target: WriteTarget, row: ValuedRow, parsed: Map<Attribute, ParsedItem[]>, mode: WriteMode, ctx: WriteContext, isNew: boolean): void {
  const next = new Map<Attribute, StoredItem[]>();
  for (const [attribute, items] of parsed) {
    const existing = row.values.get(attribute.slug) ?? [];
    const fresh = items.map((item) => existing.find((e) => e.key === item.key) ?? { from: ctx.at, actor: ctx.actor, data: item.data, key: item.key });
    if (mode(attribute) === 'append' && attribute.isMultiselect) {
      const keys = new Set(existing.map((e) => e.key));
      next.set(attribute, [...existing, ...fresh.filter((f) => !keys.has(f.key))]);
    } else next.set(attribute, fresh);
  }

  if (target.unique) {
    for (const [attribute, items] of next) {
      const index = target.unique.get(attribute.slug);
      if (!index) continue;
      for (const item of items) {
        const owner = index.get(item.key);
        if (owner !== undefined && owner !== row.id) {
          throw new AttioApiError(400, 'uniqueness_violation', `The value "${item.key}" provided for unique attribute "${attribute.slug}" conflicts with the value of an existing record (${owner}).`);
        }
      }
    }
  }
  for (const attribute of target.container.attributes.values()) {
    if (!attribute.isRequired) continue;
    const items = next.get(attribute) ?? (isNew ? undefined : row.values.get(attribute.slug));
    if (!items || items.length === 0) throw missingValue(`Required attribute "${attribute.slug}" is missing a value`);
  }

  ctx.ws.changes?.row(target.container, row.id);
  for (const [attribute, items] of next) {
    const old = row.values.get(attribute.slug) ?? [];
    const index = target.unique?.get(attribute.slug);
    if (index) {
      for (const item of old) if (index.get(item.key) === row.id) index.delete(item.key);
      for (const item of items) index.set(item.key, row.id);
    }
    reindex(target.equality, attribute.slug, row, old, items);
    if (items.length === 0) row.values.delete(attribute.slug);
    else row.values.set(attribute.slug, items);
    if (target.objectSlug && attribute.relationship) syncInverse(ctx, target.objectSlug, row, attribute, old, items);
  }
}
