import { randomUUID } from 'node:crypto';
import { addAttribute, createContainer } from './attributes.ts';
import { standardObjects } from './standard-objects.ts';
import type { Actor, ListStore, NoteRow, RecordStore, WorkspaceChanges, WorkspaceMember } from './types.ts';

export interface WorkspaceOptions {
  /** Enable the deals object (an admin switch in real Attio); default true. */
  deals?: boolean;
  /** The seeded workspace member (deal owners); defaults to owner@freight-sandbox.test. */
  member?: { email?: string; firstName?: string; lastName?: string };
  /** Largest note content accepted, in UTF-8 bytes (default 100 KiB); larger → 413. */
  noteContentLimitBytes?: number;
  /** Clock for timestamps and the "not in the future" rule. */
  now?: () => number;
}

export interface Workspace {
  id: string;
  name: string;
  slug: string;
  members: WorkspaceMember[];
  objects: Map<string, RecordStore>;
  objectsById: Map<string, RecordStore>;
  lists: Map<string, ListStore>;
  listsById: Map<string, ListStore>;
  notes: { byId: Map<string, NoteRow>; order: NoteRow[]; byParent: Map<string, NoteRow[]> };
  noteContentLimitBytes: number;
  now: () => number;
  /** API token → the actor its writes are stamped with. */
  actors: Map<string, Actor>;
  /** Set when the workspace is persisted (infra/sandbox/attio/persist/); every mutation marks what it changed. */
  changes?: WorkspaceChanges;
  /** The actor stamped on values written with a token (shared object: values only reference it). */
  tokenActor(token: string): Actor;
  /** Drops every record, list, entry, note and custom attribute. */
  reset(): void;
}

export const DEFAULT_NOTE_LIMIT_BYTES = 100 * 1024;

export function createWorkspace(options: WorkspaceOptions = {}): Workspace {
  const now = options.now ?? Date.now;
  const member: WorkspaceMember = {
    id: randomUUID(),
    firstName: options.member?.firstName ?? 'Sandbox',
    lastName: options.member?.lastName ?? 'Owner',
    email: options.member?.email ?? 'owner@freight-sandbox.test',
    accessLevel: 'admin',
    createdAt: new Date(now()).toISOString(),
  };
  const ws: Workspace = {
    id: randomUUID(),
    name: 'Freight Sandbox',
    slug: 'freight-sandbox',
    members: [member],
    objects: new Map(),
    objectsById: new Map(),
    lists: new Map(),
    listsById: new Map(),
    notes: { byId: new Map(), order: [], byParent: new Map() },
    noteContentLimitBytes: options.noteContentLimitBytes ?? DEFAULT_NOTE_LIMIT_BYTES,
    now,
    actors: new Map(),
    tokenActor(token) {
      let actor = ws.actors.get(token);
      if (!actor) {
        actor = { type: 'api-token', id: randomUUID() };
        ws.actors.set(token, actor);
        ws.changes?.schema();
      }
      return actor;
    },
    reset() {
      ws.objects.clear();
      ws.objectsById.clear();
      ws.lists.clear();
      ws.listsById.clear();
      ws.notes = { byId: new Map(), order: [], byParent: new Map() };
      seedObjects(ws, options.deals ?? true);
      ws.changes?.reset();
    },
  };
  seedObjects(ws, options.deals ?? true);
  return ws;
}

function seedObjects(ws: Workspace, deals: boolean): void {
  const createdAt = new Date(ws.now()).toISOString();
  for (const def of standardObjects(deals)) {
    const container = createContainer('objects', def.slug);
    for (const spec of def.attributes) addAttribute(container, spec, createdAt);
    const store: RecordStore = {
      container, singularNoun: def.singular, pluralNoun: def.plural, createdAt,
      records: new Map(), order: [], orderDirty: false, unique: new Map(), equality: new Map(), positions: new Map(), nextPosition: 0,
    };
    for (const attribute of container.attributes.values()) if (attribute.isUnique && !attribute.isSystem) store.unique.set(attribute.slug, new Map());
    ws.objects.set(def.slug, store);
    ws.objectsById.set(container.id, store);
  }
}

export function findObject(ws: Workspace, idOrSlug: string): RecordStore | undefined {
  return ws.objects.get(idOrSlug) ?? ws.objectsById.get(idOrSlug);
}

export function findList(ws: Workspace, idOrSlug: string): ListStore | undefined {
  return ws.lists.get(idOrSlug) ?? ws.listsById.get(idOrSlug);
}
