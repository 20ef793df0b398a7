import { randomUUID } from 'node:crypto';
import { AttioApiError, notFound, validationType } from '../errors.ts';
import { parseTimestamp } from '../values/normalise.ts';
import { parsePaging } from './paging.ts';
import type { Actor, NoteRow } from './types.ts';
import { findObject, type Workspace } from './workspace.ts';
import { dataObject } from './write.ts';

/** Notes hang off exactly one record; created_at may be backdated to 1970 but not set in the future. */

/** Key of `ws.notes.byParent`. */
export const parentKey = (object: string, recordId: string) => `${object}/${recordId}`;

export function createNote(ws: Workspace, body: unknown, actor: Actor): NoteRow {
  const data = dataObject(body);
  const { parent_object: parentObject, parent_record_id: parentRecordId, title, format, content, created_at: createdAt } = data;
  if (typeof content !== 'string') throw validationType('data.content must be a string');
  if (Buffer.byteLength(content, 'utf8') > ws.noteContentLimitBytes) {
    throw new AttioApiError(413, 'content_too_large', `Note content exceeds ${ws.noteContentLimitBytes} bytes`);
  }
  if (typeof title !== 'string') throw validationType('data.title must be a string');
  if (format !== 'plaintext' && format !== 'markdown') throw validationType('data.format must be "plaintext" or "markdown"');
  if (typeof parentObject !== 'string' || typeof parentRecordId !== 'string') throw validationType('data.parent_object and data.parent_record_id are required (exactly one parent)');
  const object = findObject(ws, parentObject);
  if (!object) throw notFound(`Object "${parentObject}" does not exist`);
  if (!object.records.has(parentRecordId)) throw notFound(`Record with ID "${parentRecordId}" not found on object "${object.container.slug}"`);

  const now = ws.now();
  let stamp = new Date(now).toISOString();
  if (createdAt !== undefined && createdAt !== null) {
    const iso = typeof createdAt === 'string' ? parseTimestamp(createdAt) : undefined;
    if (iso === undefined) throw validationType('data.created_at must be an ISO 8601 timestamp');
    const ms = Date.parse(iso);
    if (ms < 0) throw validationType('data.created_at cannot be before 1970-01-01T00:00:00Z');
    if (ms > now) throw validationType('data.created_at cannot be in the future');
    stamp = iso;
  }
  const note: NoteRow = { id: randomUUID(), parentObject: object.container.slug, parentRecordId, title, format, content, createdAt: stamp, actor };
  ws.notes.byId.set(note.id, note);
  ws.notes.order.push(note);
  const key = parentKey(note.parentObject, parentRecordId);
  const siblings = ws.notes.byParent.get(key);
  if (siblings) siblings.push(note);
  else ws.notes.byParent.set(key, [note]);
  ws.changes?.note(note.id);
  return note;
}

export function listNotes(ws: Workspace, query: URLSearchParams): NoteRow[] {
  const paging = parsePaging(query.get('limit'), query.get('offset'), { limit: 10, max: 50 });
  const parentObject = query.get('parent_object');
  const parentRecordId = query.get('parent_record_id');
  if (parentRecordId !== null && parentObject === null) throw validationType('parent_record_id requires parent_object');
  let rows: NoteRow[] = ws.notes.order;
  if (parentObject !== null) {
    const object = findObject(ws, parentObject);
    if (!object) throw notFound(`Object "${parentObject}" does not exist`);
    rows = parentRecordId !== null
      ? (ws.notes.byParent.get(parentKey(object.container.slug, parentRecordId)) ?? [])
      : rows.filter((n) => n.parentObject === object.container.slug);
  }
  return rows.slice(paging.offset, paging.offset + paging.limit);
}

export function getNote(ws: Workspace, id: string): NoteRow {
  const note = ws.notes.byId.get(id);
  if (!note) throw notFound(`Note with ID "${id}" not found`);
  return note;
}

export function deleteNote(ws: Workspace, id: string): void {
  const note = getNote(ws, id);
  ws.changes?.note(id);
  ws.notes.byId.delete(id);
  ws.notes.order = ws.notes.order.filter((n) => n !== note);
  const key = parentKey(note.parentObject, note.parentRecordId);
  const siblings = (ws.notes.byParent.get(key) ?? []).filter((n) => n !== note);
  if (siblings.length === 0) ws.notes.byParent.delete(key);
  else ws.notes.byParent.set(key, siblings);
}

export function dropNotesOf(ws: Workspace, object: string, recordId: string): void {
  for (const note of [...(ws.notes.byParent.get(parentKey(object, recordId)) ?? [])]) deleteNote(ws, note.id);
}
