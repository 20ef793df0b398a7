import { distinct } from '../workspace/attributes.ts';
import type { Actor, Attribute, AttributeContainer, EntryRow, ListStore, NoteRow, RecordStore, SelectOption, StatusOption, ValuedRow, WorkspaceMember } from '../workspace/types.ts';
import type { Workspace } from '../workspace/workspace.ts';

/**
 * The saved form of a workspace: plain JSON, one line per row, so a snapshot of a million records
 * streams in and out instead of being one string. Indexes are not saved: unique indexes are rebuilt
 * on load, equality indexes rebuild themselves on first use (equality-index.ts).
 */
export const FORMAT_VERSION = 1;

export interface SavedAttribute extends Omit<Attribute, 'options' | 'statuses'> {
  options: SelectOption[];
  statuses: StatusOption[];
}

interface SavedContainer {
  id: string;
  slug: string;
  attributes: SavedAttribute[];
  createdAt: string;
  nextPosition: number;
}

export interface SavedObject extends SavedContainer {
  singularNoun: string;
  pluralNoun: string;
}

export interface SavedList extends SavedContainer {
  name: string;
  parentObject: string;
  workspaceAccess: string | null;
  workspaceMemberAccess: unknown;
}

/** Everything but rows and notes: small, saved whole whenever any of it changes. */
export interface SavedSchema {
  workspace: { id: string; name: string; slug: string };
  members: WorkspaceMember[];
  /** [token, actor]: writes made with a token keep their actor id across restarts. */
  actors: Array<[string, Actor]>;
  objects: SavedObject[];
  lists: SavedList[];
}

/** Select and status items are saved without `data`: their key is the option id, relinked on load. */
export interface SavedItem {
  from: string;
  actor: Actor;
  data?: Record<string, unknown>;
  key: string;
}

/** A record (`k: 'r'`, `o`: object slug) or an entry (`k: 'e'`, `l`: list slug, `parent`: its record). */
export type SavedRow =
  | { k: 'r'; o: string; id: string; createdAt: string; createdBy: Actor; pos: number; values: Record<string, SavedItem[]> }
  | { k: 'e'; l: string; id: string; createdAt: string; createdBy: Actor; pos: number; values: Record<string, SavedItem[]>; parent: string };

/** A row or note that no longer exists. */
export type Gone = { k: 'r'; o: string; id: string } | { k: 'e'; l: string; id: string } | { k: 'n'; id: string };

const saveAttribute = (a: Attribute): SavedAttribute => ({ ...a, options: distinct(a.options), statuses: distinct(a.statuses) });

const relinked = (type: Attribute['type']) => type === 'select' || type === 'status';

export function saveSchema(ws: Workspace): SavedSchema {
  const container = (c: AttributeContainer) => ({ id: c.id, slug: c.slug, attributes: [...c.attributes.values()].map(saveAttribute) });
  return {
    workspace: { id: ws.id, name: ws.name, slug: ws.slug },
    members: ws.members,
    actors: [...ws.actors],
    objects: [...ws.objects.values()].map((s) => ({ ...container(s.container), createdAt: s.createdAt, nextPosition: s.nextPosition, singularNoun: s.singularNoun, pluralNoun: s.pluralNoun })),
    lists: [...ws.lists.values()].map((l) => ({
      ...container(l.container), createdAt: l.createdAt, nextPosition: l.nextPosition,
      name: l.name, parentObject: l.parentObject, workspaceAccess: l.workspaceAccess, workspaceMemberAccess: l.workspaceMemberAccess,
    })),
  };
}

function saveValues(container: AttributeContainer, row: ValuedRow): Record<string, SavedItem[]> {
  const out: Record<string, SavedItem[]> = {};
  for (const [slug, items] of row.values) {
    const bare = relinked(container.attributes.get(slug)?.type ?? 'text');
    out[slug] = items.map((i) => (bare ? { from: i.from, actor: i.actor, key: i.key } : { from: i.from, actor: i.actor, data: i.data, key: i.key }));
  }
  return out;
}

export function saveRecord(store: RecordStore, row: ValuedRow): SavedRow {
  const pos = store.positions.get(row.id) ?? 0;
  return { k: 'r', o: store.container.slug, id: row.id, createdAt: row.createdAt, createdBy: row.createdBy, pos, values: saveValues(store.container, row) };
}

export function saveEntry(list: ListStore, row: EntryRow): SavedRow {
  const pos = list.positions.get(row.id) ?? 0;
  return { k: 'e', l: list.container.slug, id: row.id, createdAt: row.createdAt, createdBy: row.createdBy, pos, values: saveValues(list.container, row), parent: row.parentRecordId };
}

/** Key of a row or note in the maps a load accumulates (last state wins). */
export const rowKey = (r: Gone | SavedRow): string => (r.k === 'r' ? `r/${r.o}/${r.id}` : r.k === 'e' ? `e/${r.l}/${r.id}` : `n/${r.id}`);

/** First line of the snapshot: what the state belongs to. */
export interface SnapshotHeader {
  t: 'header';
  format: number;
  /** Bumped by every snapshot; the journal replayed on top must carry the same one. */
  generation: number;
  fingerprint: Record<string, unknown>;
  savedAt: string;
}

/** The journal's lines after its header: the state of everything that changed since the last batch. */
export interface JournalBatch {
  t: 'batch';
  schema?: SavedSchema;
  rows: SavedRow[];
  notes: NoteRow[];
  gone: Gone[];
}

export const SNAPSHOT_FILE = 'snapshot.jsonl';
export const JOURNAL_FILE = 'journal.jsonl';

/** Fingerprints compare by content, whatever their key order. */
export function sameFingerprint(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const canonical = (f: Record<string, unknown>) => JSON.stringify(Object.keys(f).sort().map((k) => [k, f[k]]));
  return canonical(a) === canonical(b);
}
