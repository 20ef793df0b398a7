import type { Actor, Attribute, AttributeContainer, EntryRow, ListStore, NoteRow, RecordStore, SelectOption, StoredItem, ValuedRow } from '../workspace/types.ts';
import { parentKey } from '../workspace/notes.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { SavedAttribute, SavedItem, SavedRow, SavedSchema } from './format.ts';

/**
 * Rebuilds a workspace in place from its saved form: the same ids, insertion order and positions, the
 * unique indexes refilled, the equality indexes left empty (they are built on first use from the rows).
 */
export interface SavedWorkspace {
  schema: SavedSchema;
  rows: Iterable<SavedRow>;
  notes: Iterable<NoteRow>;
}

function restoreAttribute(saved: SavedAttribute): Attribute {
  // Each option sits in its map twice, by title and by id, as addOption/addStatus put it there.
  const byTitleAndId = <T extends SelectOption>(list: T[]) => new Map(list.flatMap((o) => [[o.title, o], [o.id, o]] as Array<[string, T]>));
  return { ...saved, options: byTitleAndId(saved.options), statuses: byTitleAndId(saved.statuses) };
}

function restoreContainer(kind: 'objects' | 'lists', saved: { id: string; slug: string; attributes: SavedAttribute[] }): AttributeContainer {
  const attributes = saved.attributes.map(restoreAttribute);
  return { kind, id: saved.id, slug: saved.slug, attributes: new Map(attributes.map((a) => [a.slug, a])), attributesById: new Map(attributes.map((a) => [a.id, a])) };
}

/** Select/status items point at the attribute's own option objects, as parsing made them. */
function itemData(attribute: Attribute | undefined, item: SavedItem): Record<string, unknown> {
  if (item.data) return item.data;
  const missing = { id: item.key, title: item.key, isArchived: true };
  if (attribute?.type === 'status') return { status: attribute.statuses.get(item.key) ?? { ...missing, celebrationEnabled: false } };
  return { option: attribute?.options.get(item.key) ?? missing };
}

export function restoreWorkspace(ws: Workspace, saved: SavedWorkspace): { records: number; entries: number; notes: number; skipped: number } {
  const { schema } = saved;
  ws.id = schema.workspace.id;
  ws.name = schema.workspace.name;
  ws.slug = schema.workspace.slug;
  ws.members = schema.members;
  ws.actors = new Map(schema.actors);
  // Values share one actor object per token while the server runs; keep it that way after a load.
  const actors = new Map<string, Actor>([...ws.actors.values()].map((a) => [`${a.type}:${a.id}`, a]));
  const actor = (a: Actor): Actor => {
    const key = `${a.type}:${a.id}`;
    const known = actors.get(key);
    if (known) return known;
    actors.set(key, a);
    return a;
  };

  ws.objects = new Map();
  ws.objectsById = new Map();
  for (const o of schema.objects) {
    const container = restoreContainer('objects', o);
    const store: RecordStore = {
      container, singularNoun: o.singularNoun, pluralNoun: o.pluralNoun, createdAt: o.createdAt,
      records: new Map(), order: [], orderDirty: false, unique: new Map(), equality: new Map(), positions: new Map(), nextPosition: o.nextPosition,
    };
    for (const attribute of container.attributes.values()) if (attribute.isUnique && !attribute.isSystem) store.unique.set(attribute.slug, new Map());
    ws.objects.set(o.slug, store);
    ws.objectsById.set(o.id, store);
  }
  ws.lists = new Map();
  ws.listsById = new Map();
  for (const l of schema.lists) {
    const list: ListStore = {
      container: restoreContainer('lists', l), name: l.name, parentObject: l.parentObject, workspaceAccess: l.workspaceAccess,
      workspaceMemberAccess: l.workspaceMemberAccess, createdAt: l.createdAt,
      entries: new Map(), order: [], orderDirty: false, byParent: new Map(), equality: new Map(), positions: new Map(), nextPosition: l.nextPosition,
    };
    ws.lists.set(l.slug, list);
    ws.listsById.set(l.id, list);
  }

  let skipped = 0;
  const pending = new Map<RecordStore | ListStore, Array<{ row: ValuedRow; pos: number }>>();
  for (const r of saved.rows) {
    const holder = r.k === 'r' ? ws.objects.get(r.o) : ws.lists.get(r.l);
    if (!holder) {
      skipped += 1;
      continue;
    }
    const values = new Map<string, StoredItem[]>();
    for (const [slug, items] of Object.entries(r.values)) {
      const attribute = holder.container.attributes.get(slug);
      values.set(slug, items.map((i) => ({ from: i.from, actor: actor(i.actor), data: itemData(attribute, i), key: i.key })));
    }
    const base: ValuedRow = { id: r.id, createdAt: r.createdAt, createdBy: actor(r.createdBy), values };
    const entry: EntryRow | undefined = r.k === 'e' ? { ...base, parentRecordId: r.parent, parentObject: (holder as ListStore).parentObject } : undefined;
    const row = entry ?? base;
    const rows = pending.get(holder) ?? [];
    rows.push({ row, pos: r.pos });
    pending.set(holder, rows);
  }

  let records = 0;
  let entries = 0;
  for (const [holder, rows] of pending) {
    rows.sort((a, b) => a.pos - b.pos);
    for (const { row, pos } of rows) {
      holder.positions.set(row.id, pos);
      holder.nextPosition = Math.max(holder.nextPosition, pos + 1);
      if ('records' in holder) {
        holder.records.set(row.id, row);
        holder.order.push(row);
        for (const [slug, index] of holder.unique) for (const item of row.values.get(slug) ?? []) index.set(item.key, row.id);
        records += 1;
      } else {
        const entry = row as EntryRow;
        holder.entries.set(entry.id, entry);
        holder.order.push(entry);
        const siblings = holder.byParent.get(entry.parentRecordId);
        if (siblings) siblings.push(entry);
        else holder.byParent.set(entry.parentRecordId, [entry]);
        entries += 1;
      }
    }
  }

  ws.notes = { byId: new Map(), order: [], byParent: new Map() };
  for (const n of saved.notes) {
    const note: NoteRow = { ...n, actor: actor(n.actor) };
    ws.notes.byId.set(note.id, note);
    ws.notes.order.push(note);
    const key = parentKey(note.parentObject, note.parentRecordId);
    const siblings = ws.notes.byParent.get(key);
    if (siblings) siblings.push(note);
    else ws.notes.byParent.set(key, [note]);
  }
  return { records, entries, notes: ws.notes.order.length, skipped };
}
