import { randomUUID } from 'node:crypto';
import { AttioApiError, multipleMatch, notFound, validationType } from '../errors.ts';
import { createContainer } from './attributes.ts';
import { compileFilter } from './filters.ts';
import { ordered, pageWhere, parsePaging } from './paging.ts';
import type { EntryRow, ListStore } from './types.ts';
import { findObject, type Workspace } from './workspace.ts';
import { indexedCandidates, unindexRow, type IndexedRows } from './equality-index.ts';
import { applyWrite, dataField, dataObject, parseValues, type WriteContext, type WriteTarget } from './write.ts';

/** Lists and their entries: one entry per (list, parent record) is typical, several are allowed. */
const SLUG = /^[a-z][a-z0-9_]*$/;

export function createList(ws: Workspace, body: unknown, at: string): ListStore {
  const data = dataObject(body);
  const { name, api_slug: slug, parent_object: parent } = data;
  if (typeof name !== 'string' || name.trim() === '') throw validationType('data.name must be a non-empty string');
  if (typeof slug !== 'string' || !SLUG.test(slug)) throw validationType('data.api_slug must be snake_case');
  if (typeof parent !== 'string') throw validationType('data.parent_object must be an object slug or id');
  const object = findObject(ws, parent);
  if (!object) throw notFound(`Object "${parent}" does not exist`);
  if (ws.lists.has(slug)) throw new AttioApiError(409, 'slug_conflict', `A list with api_slug "${slug}" already exists`);
  const list: ListStore = {
    container: createContainer('lists', slug),
    name,
    parentObject: object.container.slug,
    workspaceAccess: typeof data.workspace_access === 'string' ? data.workspace_access : null,
    workspaceMemberAccess: data.workspace_member_access ?? [],
    createdAt: at,
    entries: new Map(), order: [], orderDirty: false, byParent: new Map(), equality: new Map(), positions: new Map(), nextPosition: 0,
  };
  ws.lists.set(slug, list);
  ws.listsById.set(list.container.id, list);
  ws.changes?.schema();
  return list;
}

function parentOf(ws: Workspace, list: ListStore, body: unknown): { recordId: string; values: Record<string, unknown> } {
  const data = dataObject(body);
  const recordId = data.parent_record_id;
  if (typeof recordId !== 'string') throw validationType('data.parent_record_id is required');
  if (data.parent_object !== undefined) {
    const object = typeof data.parent_object === 'string' ? findObject(ws, data.parent_object) : undefined;
    if (!object || object.container.slug !== list.parentObject) throw validationType(`List "${list.container.slug}" holds ${list.parentObject} records`);
  }
  if (!ws.objects.get(list.parentObject)?.records.has(recordId)) throw notFound(`Record with ID "${recordId}" not found on object "${list.parentObject}"`);
  const values = data.entry_values ?? {};
  if (typeof values !== 'object' || values === null || Array.isArray(values)) throw validationType('data.entry_values must be an object');
  return { recordId, values: values as Record<string, unknown> };
}

const indexed = (list: ListStore): IndexedRows<EntryRow> => ({ container: list.container, rows: list.entries, equality: list.equality, positions: list.positions });
const targetOf = (list: ListStore): WriteTarget => ({ container: list.container, equality: list.equality });

function insertEntry(list: ListStore, entry: EntryRow): void {
  list.entries.set(entry.id, entry);
  list.order.push(entry);
  list.positions.set(entry.id, list.nextPosition);
  list.nextPosition += 1;
  const siblings = list.byParent.get(entry.parentRecordId);
  if (siblings) siblings.push(entry);
  else list.byParent.set(entry.parentRecordId, [entry]);
}

export function createEntry(ws: Workspace, list: ListStore, body: unknown, ctx: WriteContext): EntryRow {
  const { recordId, values } = parentOf(ws, list, body);
  const parsed = parseValues(list.container, values, ctx.resolver);
  const entry: EntryRow = { id: randomUUID(), createdAt: ctx.at, createdBy: ctx.actor, values: new Map(), parentRecordId: recordId, parentObject: list.parentObject };
  applyWrite(targetOf(list), entry, parsed, () => 'replace', ctx, true);
  insertEntry(list, entry);
  return entry;
}

/** PUT /lists/{list}/entries: by parent record; multiselect values sent replace the existing ones. */
export function assertEntry(ws: Workspace, list: ListStore, body: unknown, ctx: WriteContext): { entry: EntryRow; created: boolean } {
  const { recordId, values } = parentOf(ws, list, body);
  const existing = list.byParent.get(recordId) ?? [];
  if (existing.length > 1) throw multipleMatch(`Record "${recordId}" has ${existing.length} entries in list "${list.container.slug}"`);
  const parsed = parseValues(list.container, values, ctx.resolver);
  const entry = existing[0];
  if (entry) {
    applyWrite(targetOf(list), entry, parsed, () => 'replace', ctx, false);
    return { entry, created: false };
  }
  const fresh: EntryRow = { id: randomUUID(), createdAt: ctx.at, createdBy: ctx.actor, values: new Map(), parentRecordId: recordId, parentObject: list.parentObject };
  applyWrite(targetOf(list), fresh, parsed, () => 'replace', ctx, true);
  insertEntry(list, fresh);
  return { entry: fresh, created: true };
}

export function getEntry(list: ListStore, id: string): EntryRow {
  const entry = list.entries.get(id);
  if (!entry) throw notFound(`Entry with ID "${id}" not found in list "${list.container.slug}"`);
  return entry;
}

export function updateEntry(list: ListStore, id: string, body: unknown, mode: 'append' | 'overwrite', ctx: WriteContext): EntryRow {
  const entry = getEntry(list, id);
  const parsed = parseValues(list.container, dataField(body, 'entry_values'), ctx.resolver);
  applyWrite(targetOf(list), entry, parsed, () => (mode === 'append' ? 'append' : 'replace'), ctx, false);
  return entry;
}

export function deleteEntry(ws: Workspace, list: ListStore, id: string): void {
  const entry = getEntry(list, id);
  ws.changes?.row(list.container, id);
  unindexRow(list.equality, entry);
  list.entries.delete(id);
  list.positions.delete(id);
  list.orderDirty = true;
  const siblings = (list.byParent.get(entry.parentRecordId) ?? []).filter((e) => e !== entry);
  if (siblings.length === 0) list.byParent.delete(entry.parentRecordId);
  else list.byParent.set(entry.parentRecordId, siblings);
}

export function queryEntries(list: ListStore, body: unknown): EntryRow[] {
  const query = (body ?? {}) as Record<string, unknown>;
  if (typeof query !== 'object' || Array.isArray(query)) throw validationType('Body must be a JSON object');
  const paging = parsePaging(query.limit, query.offset, { limit: 500, max: 500 });
  const filter = query.filter as Record<string, unknown> | undefined;
  if (filter && Object.keys(filter).length === 1 && typeof filter.parent_record_id === 'string') {
    return (list.byParent.get(filter.parent_record_id) ?? []).slice(paging.offset, paging.offset + paging.limit);
  }
  const predicate = compileFilter(list.container, filter, {
    parent_record_id: (row) => (row as EntryRow).parentRecordId,
    entry_id: (row) => row.id,
  });
  return pageWhere(indexedCandidates(indexed(list), filter) ?? ordered(list, list.entries), predicate, paging);
}

/** Entries of a deleted record go with it. */
export function dropEntriesOf(ws: Workspace, recordId: string): void {
  for (const list of ws.lists.values()) for (const entry of list.byParent.get(recordId) ?? []) deleteEntry(ws, list, entry.id);
}
