/** In-memory model of an Attio workspace. Values are stored compactly and rendered on read. */

export type AttributeType =
  | 'text' | 'number' | 'checkbox' | 'currency' | 'date' | 'timestamp' | 'rating' | 'select' | 'status'
  | 'personal-name' | 'email-address' | 'domain' | 'phone-number' | 'location' | 'record-reference'
  | 'actor-reference' | 'interaction';

export interface SelectOption {
  id: string;
  title: string;
  isArchived: boolean;
}

export interface StatusOption extends SelectOption {
  celebrationEnabled: boolean;
}

export interface Attribute {
  id: string;
  slug: string;
  title: string;
  description: string | null;
  type: AttributeType;
  isRequired: boolean;
  isUnique: boolean;
  isMultiselect: boolean;
  isWritable: boolean;
  isSystem: boolean;
  /** Created through the API (not a standard attribute). */
  custom: boolean;
  currencyCode: string | null;
  /** Object slugs a record-reference may point at. */
  allowedObjects: string[];
  /** The other side of a two-way relationship, updated automatically. */
  relationship: { object: string; attribute: string } | null;
  options: Map<string, SelectOption>;
  statuses: Map<string, StatusOption>;
  createdAt: string;
}

/** Objects and lists both own attributes. */
export interface AttributeContainer {
  kind: 'objects' | 'lists';
  id: string;
  slug: string;
  attributes: Map<string, Attribute>;
  attributesById: Map<string, Attribute>;
}

export interface Actor {
  type: 'api-token' | 'workspace-member' | 'system';
  id: string | null;
}

/** One active value of an attribute: type-specific fields in `data`, metadata beside. */
export interface StoredItem {
  from: string;
  actor: Actor;
  data: Record<string, unknown>;
  /** Identity for de-duplication and unique indexes (normalised email, domain, option id, target id…). */
  key: string;
}

export interface ValuedRow {
  id: string;
  createdAt: string;
  createdBy: Actor;
  values: Map<string, StoredItem[]>;
}

export interface RecordStore {
  container: AttributeContainer;
  singularNoun: string;
  pluralNoun: string;
  createdAt: string;
  records: Map<string, ValuedRow>;
  /** Insertion order for limit/offset; rebuilt lazily after deletes. */
  order: ValuedRow[];
  orderDirty: boolean;
  /** unique attribute slug → normalised value → record id. */
  unique: Map<string, Map<string, string>>;
  /** text/number attribute slug → value → record ids; only for attributes queried by equality. */
  equality: Map<string, Map<unknown, Set<string>>>;
  /** Insertion position of each live record, to return indexed matches in insertion order. */
  positions: Map<string, number>;
  nextPosition: number;
}

export interface EntryRow extends ValuedRow {
  parentRecordId: string;
  parentObject: string;
}

export interface ListStore {
  container: AttributeContainer;
  name: string;
  parentObject: string;
  workspaceAccess: string | null;
  workspaceMemberAccess: unknown;
  createdAt: string;
  entries: Map<string, EntryRow>;
  order: EntryRow[];
  orderDirty: boolean;
  byParent: Map<string, EntryRow[]>;
  /** As on RecordStore: equality indexes of queried text/number entry attributes. */
  equality: Map<string, Map<unknown, Set<string>>>;
  positions: Map<string, number>;
  nextPosition: number;
}

export interface NoteRow {
  id: string;
  parentObject: string;
  parentRecordId: string;
  title: string;
  format: 'plaintext' | 'markdown';
  content: string;
  createdAt: string;
  actor: Actor;
}

export interface WorkspaceMember {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  accessLevel: 'admin' | 'member';
  createdAt: string;
}

/**
 * Told of every change to what a workspace holds, so a persistence layer can save only what changed.
 * Marks are cheap (a Set add); what changed is read back from the workspace when it is saved.
 */
export interface WorkspaceChanges {
  /** A record or entry of this container was created, changed or deleted. */
  row(container: AttributeContainer, id: string): void;
  /** A note was created or deleted. */
  note(id: string): void;
  /** Objects, lists, attributes, options, statuses, members or token actors changed. */
  schema(): void;
  /** Everything was dropped (POST /__sandbox/reset). */
  reset(): void;
}
