/**
 * The connector contract. A source enumerates pages of records by an opaque, small cursor (it goes
 * into Temporal workflow history, so it never carries record data); a target ensures the schema
 * it needs and writes one record at a time, idempotently. Mapping (mapping/ beside this file) sits in
 * between and turns source records into the write intents below.
 */
import type { IdMapStore, SourceKey, TargetRef } from '../../connectors/id-map/id-map.ts';
import type { AttioImage } from './attio/attio-images.ts';

export type { IdMapStore, SourceKey, TargetRef };
export { ConnectorError, isConnectorError } from '../../connectors/connector-error.ts';

// ---------------------------------------------------------------- source

export interface SourceObjectKindInfo<Kind extends string = string> {
  kind: Kind;
  /** Kinds that must be migrated before this one (references point at them). */
  dependsOn: Kind[];
  /** Largest page the API serves for this kind. */
  maxPageSize: number;
}

export interface SourcePage<Rec> {
  records: Rec[];
  /** null when the kind is exhausted. A non-null cursor may still lead to an empty page. */
  nextCursor: string | null;
}

export interface ReadPageOptions {
  pageSize?: number;
  signal?: AbortSignal;
  /** First page: only records created or changed since then (where the source documents such a filter). */
  changedSince?: Date;
}

export interface SourceConnector<Kind extends string = string, Rec = unknown, Schema = unknown> {
  readonly system: string;
  /** Object kinds in dependency order. */
  listObjectKinds(): readonly SourceObjectKindInfo<Kind>[];
  /** Best-effort record count (null when the API cannot tell without reading everything). */
  estimateCount(kind: Kind, options?: { signal?: AbortSignal }): Promise<number | null>;
  /** Reads one page. `cursor` null = first page. The returned cursor is a short string. */
  readPage(kind: Kind, cursor: string | null, options?: ReadPageOptions): Promise<SourcePage<Rec>>;
  /** The source's field definitions (custom fields, dropdown options, lists). */
  readFieldSchema(options?: { signal?: AbortSignal }): Promise<Schema>;
}

// ---------------------------------------------------------------- target schema

export type AttributeType = 'text' | 'number' | 'date' | 'timestamp' | 'checkbox' | 'select' | 'status' | 'location' | 'record-reference';

export interface AttributeSpec {
  slug: string;
  title: string;
  type: AttributeType;
  isMultiselect: boolean;
  isUnique: boolean;
  /** select / status: option titles, created in this order (keeps Affinity's rank order). */
  options?: string[];
  /** record-reference: the object the reference points at (people, companies, deals). */
  targetObject?: string;
}

export interface ObjectSchemaSpec {
  object: string;
  attributes: AttributeSpec[];
  /** Extra options/statuses on existing attributes (e.g. deal stages), created if missing. */
  extraOptions?: Array<{ attribute: string; titles: string[] }>;
}

export interface ListSpec {
  source: SourceKey;
  slug: string;
  name: string;
  parentObject: string;
  attributes: AttributeSpec[];
}

export interface SchemaPlan {
  objects: ObjectSchemaSpec[];
  lists: ListSpec[];
}

export interface SchemaResult {
  /** `object.slug` or `list:slug.attr` of everything created by this call. */
  created: string[];
  /** Target list id by list slug. */
  lists: Record<string, string>;
  /** A workspace member usable as default actor (deal owner), when the target has one. */
  defaultActor: { type: 'workspace-member'; id: string; email?: string } | null;
}

// ---------------------------------------------------------------- target writes

export interface RecordWrite {
  source: SourceKey;
  object: string;
  /** Unique attribute to assert on; null (or no value for it) = idempotent through the id map. */
  matchingAttribute: string | null;
  /** Attribute values in the target's write format, references already resolved. */
  values: Record<string, unknown>;
}

export interface NoteWrite {
  source: SourceKey;
  parent: TargetRef;
  /** Ends with the source marker (`noteMarker`), used to find a note created before a crash. */
  title: string;
  format: 'plaintext' | 'markdown';
  content: string;
  /** ISO timestamp; omitted = now. */
  createdAt?: string;
}

export interface ListEntryWrite {
  source: SourceKey;
  /** Target list slug. */
  list: string;
  parent: TargetRef;
  values: Record<string, unknown>;
}

export type WriteAction = 'created' | 'updated' | 'unchanged';

export interface WriteResult {
  target: TargetRef;
  action: WriteAction;
  warnings: string[];
  /** The after-image (attio-images.ts): Attio's answer to the write over the attributes it set (delta hashes, undo images). */
  image?: AttioImage;
}

/** One write of a chunk, as the mapping produced it. */
export type WriteIntent =
  | { kind: 'record'; write: RecordWrite }
  | { kind: 'note'; write: NoteWrite }
  | { kind: 'list_entry'; write: ListEntryWrite };

export interface WriteOptions {
  signal?: AbortSignal;
  jobId?: string;
  /** The references pass writes the record again (see PairRuntime.write). */
  rewrite?: boolean;
  /** A delta pass updates a record Freight created and found unedited in the target: replace multiselect values (see PairRuntime.write). */
  overwrite?: boolean;
}

export interface TargetConnector {
  readonly system: string;
  ensureSchema(plan: SchemaPlan, options?: WriteOptions): Promise<SchemaResult>;
  upsertRecord(write: RecordWrite, options?: WriteOptions): Promise<WriteResult>;
  createNote(note: NoteWrite, options?: WriteOptions): Promise<WriteResult>;
  addListEntry(entry: ListEntryWrite, options?: WriteOptions): Promise<WriteResult>;
  /**
   * Optional: told the writes of a chunk before they are sent one by one, does in bulk what each
   * would look up alone (id-map entries, unique-value claims in chunk order). The writes behave
   * the same with or without it; it only saves round trips.
   */
  prepareWrites?(writes: readonly WriteIntent[], options?: WriteOptions): Promise<void>;
  /** Target records of already-migrated source records (absent keys were not migrated). */
  resolveReferences(keys: readonly SourceKey[]): Promise<Map<string, TargetRef>>;
}
