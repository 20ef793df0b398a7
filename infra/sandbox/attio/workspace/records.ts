import { randomUUID } from 'node:crypto';
import { AttioApiError, missingValue, multipleMatch, notFound, validationType } from '../errors.ts';
import { findAttribute } from './attributes.ts';
import { indexedCandidates, unindexRow } from './equality-index.ts';
import { compileFilter, uniqueLookup } from './filters.ts';
import { ordered, pageWhere, parsePaging } from './paging.ts';
import { removeReference } from './relationships.ts';
import type { RecordStore, ValuedRow } from './types.ts';
import { applyWrite, dataField, parseValues, type WriteContext, type WriteTarget } from './write.ts';

/** Record operations of one object: create, assert (upsert), update, delete, query. */
const targetOf = (store: RecordStore): WriteTarget => ({ container: store.container, unique: store.unique, equality: store.equality, objectSlug: store.container.slug });

function insert(store: RecordStore, row: ValuedRow): void {
  store.records.set(row.id, row);
  store.order.push(row);
  store.positions.set(row.id, store.nextPosition);
  store.nextPosition += 1;
}

export function createRecord(store: RecordStore, body: unknown, ctx: WriteContext): ValuedRow {
  const parsed = parseValues(store.container, dataField(body, 'values'), ctx.resolver);
  const row: ValuedRow = { id: randomUUID(), createdAt: ctx.at, createdBy: ctx.actor, values: new Map() };
  applyWrite(targetOf(store), row, parsed, () => 'replace', ctx, true);
  insert(store, row);
  return row;
}

/**
 * PUT /records?matching_attribute=slug. 0 matches → create; 1 → update, where the matching attribute's
 * values are added to the existing ones and every other sent attribute is replaced; >1 → 400.
 */
export function assertRecord(store: RecordStore, matchingSlug: string | null, body: unknown, ctx: WriteContext): { row: ValuedRow; created: boolean } {
  if (!matchingSlug) throw validationType('matching_attribute query parameter is required');
  const matching = findAttribute(store.container, matchingSlug);
  if (!matching) throw notFound(`Cannot find attribute with slug/ID "${matchingSlug}"`);
  const index = store.unique.get(matching.slug);
  if (!matching.isUnique || !index) {
    throw new AttioApiError(400, 'matching_attribute_definition_not_unique', `Attribute "${matching.slug}" is not unique and cannot be used as matching_attribute`);
  }
  const parsed = parseValues(store.container, dataField(body, 'values'), ctx.resolver);
  const items = parsed.get(matching);
  if (!items || items.length === 0) throw missingValue(`values must include the matching attribute "${matching.slug}"`);
  const matches = new Set<string>();
  for (const item of items) {
    const id = index.get(item.key);
    if (id !== undefined) matches.add(id);
  }
  if (matches.size > 1) throw multipleMatch(`Multiple ${store.container.slug} records match "${matching.slug}": ${[...matches].join(', ')}`);
  const existing = matches.size === 1 ? store.records.get([...matches][0] as string) : undefined;
  if (!existing) {
    const row: ValuedRow = { id: randomUUID(), createdAt: ctx.at, createdBy: ctx.actor, values: new Map() };
    applyWrite(targetOf(store), row, parsed, () => 'replace', ctx, true);
    insert(store, row);
    return { row, created: true };
  }
  applyWrite(targetOf(store), existing, parsed, (a) => (a === matching ? 'append' : 'replace'), ctx, false);
  return { row: existing, created: false };
}

export function getRecord(store: RecordStore, id: string): ValuedRow {
  const row = store.records.get(id);
  if (!row) throw notFound(`Record with ID "${id}" not found on object "${store.container.slug}"`);
  return row;
}

/** PATCH appends to multiselect values; PUT replaces them. */
export function updateRecord(store: RecordStore, id: string, body: unknown, mode: 'append' | 'overwrite', ctx: WriteContext): ValuedRow {
  const row = getRecord(store, id);
  const parsed = parseValues(store.container, dataField(body, 'values'), ctx.resolver);
  applyWrite(targetOf(store), row, parsed, () => (mode === 'append' ? 'append' : 'replace'), ctx, false);
  return row;
}

/** Deleting drops index keys and the inverse side of relationships; callers drop entries and notes. */
export function deleteRecord(ctx: WriteContext, store: RecordStore, id: string): void {
  const row = getRecord(store, id);
  for (const [slug, items] of row.values) {
    const index = store.unique.get(slug);
    if (index) for (const item of items) if (index.get(item.key) === id) index.delete(item.key);
    const relation = store.container.attributes.get(slug)?.relationship;
    const targets = relation ? ctx.ws.objects.get(relation.object) : undefined;
    if (!relation || !targets) continue;
    for (const item of items) {
      removeReference(targets.records.get(item.key), relation.attribute, id);
      ctx.ws.changes?.row(targets.container, item.key);
    }
  }
  unindexRow(store.equality, row);
  store.records.delete(id);
  store.positions.delete(id);
  store.orderDirty = true;
  ctx.ws.changes?.row(store.container, id);
}

export function queryRecords(store: RecordStore, body: unknown): ValuedRow[] {
  const query = (body ?? {}) as Record<string, unknown>;
  if (typeof query !== 'object' || Array.isArray(query)) throw validationType('Body must be a JSON object');
  const paging = parsePaging(query.limit, query.offset, { limit: 500, max: 500 });
  const lookup = uniqueLookup(store.container, query.filter);
  if (lookup) {
    const id = lookup.slug === 'record_id' ? lookup.key : store.unique.get(lookup.slug)?.get(lookup.key);
    const row = id === undefined ? undefined : store.records.get(id);
    return row && paging.offset === 0 ? [row] : [];
  }
  const predicate = compileFilter(store.container, query.filter);
  const indexed = indexedCandidates({ container: store.container, rows: store.records, equality: store.equality, positions: store.positions }, query.filter);
  return pageWhere(indexed ?? ordered(store, store.records), predicate, paging);
}

