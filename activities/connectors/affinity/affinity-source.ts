import { isConnectorError } from '../connector-error.ts';
import { mapWithConcurrency } from '../concurrency.ts';
import type { ReadPageOptions, SourceConnector, SourceKey, SourceObjectKindInfo, SourcePage } from '../types.ts';
import type { ErrorKind } from '../../../shared/error-kinds.ts';
import type { AffinityClient } from './affinity-client.ts';
import { decodeCursor, encodeCursor } from './affinity-cursor.ts';
import type {
  AffinityField, AffinityFieldSchema, AffinityFieldValue, AffinityList, AffinityListEntry, AffinityNote, AffinityObjectKind,
  AffinityOpportunity, AffinityOrganization, AffinityPerson, AffinityRecord,
} from './affinity-types.ts';

/** A record the source listed but could not read (merged or deleted meanwhile): logged as skipped. */
export interface SkippedSourceRecord {
  source: SourceKey;
  kind: ErrorKind;
  reason: string;
  details?: Record<string, unknown>;
}

export interface AffinitySourcePage extends SourcePage<AffinityRecord> {
  skipped: SkippedSourceRecord[];
}

export interface AffinitySource extends SourceConnector<AffinityObjectKind, AffinityRecord, AffinityFieldSchema> {
  readPage(kind: AffinityObjectKind, cursor: string | null, options?: ReadPageOptions): Promise<AffinitySourcePage>;
  /** One entity with its field values (retry of a single record). Throws `merged` with `details.mergedInto`. */
  readRecord(kind: 'organization' | 'person' | 'opportunity', id: string, options?: { signal?: AbortSignal }): Promise<AffinityRecord>;
}

export interface AffinitySourceOptions {
  client: AffinityClient;
  /** Read `/field-values` for every entity and list entry (one call each). Default true. */
  withFieldValues?: boolean;
  /** `/field-values` calls in flight per page. */
  fieldValueConcurrency?: number;
}

const MAX_PAGE = 500;

const KINDS: readonly SourceObjectKindInfo<AffinityObjectKind>[] = [
  { kind: 'organizations', dependsOn: [], maxPageSize: MAX_PAGE },
  { kind: 'persons', dependsOn: ['organizations'], maxPageSize: MAX_PAGE },
  { kind: 'opportunities', dependsOn: ['organizations', 'persons'], maxPageSize: MAX_PAGE },
  { kind: 'lists', dependsOn: [], maxPageSize: MAX_PAGE },
  { kind: 'list_entries', dependsOn: ['lists', 'organizations', 'persons', 'opportunities'], maxPageSize: MAX_PAGE },
  { kind: 'notes', dependsOn: ['organizations', 'persons', 'opportunities'], maxPageSize: MAX_PAGE },
];

type EntityKind = 'organization' | 'person' | 'opportunity';
const ENTITY_OF: Partial<Record<AffinityObjectKind, EntityKind>> = { organizations: 'organization', persons: 'person', opportunities: 'opportunity' };
const PATH_OF: Record<EntityKind, string> = { organization: '/organizations', person: '/persons', opportunity: '/opportunities' };

/**
 * Affinity v1 as a source. Pages are read with `page_size`/`page_token`, repeating the other
 * params unchanged; field values are fetched per record with bounded concurrency. A record whose
 * field values cannot be read because it was merged or deleted after listing is reported in
 * `skipped` instead of failing the page.
 */
export function createAffinitySource(options: AffinitySourceOptions): AffinitySource {
  const { client } = options;
  const withFieldValues = options.withFieldValues ?? true;
  const concurrency = options.fieldValueConcurrency ?? 16;
  let listsPromise: Promise<AffinityList[]> | undefined;

  const lists = (signal?: AbortSignal): Promise<AffinityList[]> => {
    listsPromise ??= client.get<AffinityList[]>('/lists', [], signal).then((all) => [...all].sort((a, b) => a.id - b.id));
    listsPromise.catch(() => (listsPromise = undefined));
    return listsPromise;
  };

  const fieldValues = async (param: string, id: number, signal?: AbortSignal): Promise<AffinityFieldValue[]> =>
    withFieldValues ? client.get<AffinityFieldValue[]>('/field-values', [[param, id]], signal) : [];

  /** Attaches field values; records that vanished meanwhile go to `skipped`. */
  async function withValues<D extends { id: number }>(
    items: D[], kind: 'organization' | 'person' | 'opportunity' | 'list_entry', param: string, signal: AbortSignal | undefined,
  ): Promise<{ records: Array<{ data: D; fieldValues: AffinityFieldValue[] }>; skipped: SkippedSourceRecord[] }> {
    const skipped: SkippedSourceRecord[] = [];
    const results = await mapWithConcurrency(items, concurrency, async (data) => {
      try {
        return { data, fieldValues: await fieldValues(param, data.id, signal) };
      } catch (error) {
        if (isConnectorError(error) && (error.kind === 'merged' || error.kind === 'not_found')) {
          skipped.push({ source: { kind, id: String(data.id) }, kind: error.kind, reason: error.message, details: error.details });
          return null;
        }
        throw error;
      }
    });
    return { records: results.filter((r): r is { data: D; fieldValues: AffinityFieldValue[] } => r !== null), skipped };
  }

  async function readEntities(kind: AffinityObjectKind, entity: EntityKind, cursor: string | null, opts: ReadPageOptions): Promise<AffinitySourcePage> {
    const c = cursor ? decodeCursor(cursor) : { ps: pageSize(opts), t: null };
    const body = await client.get<Record<string, unknown>>(PATH_OF[entity], [['page_size', c.ps], ['page_token', c.t]], opts.signal);
    const items = (body[kind] as Array<{ id: number }> | undefined) ?? [];
    const next = nextToken(body);
    const { records, skipped } = await withValues(items, entity, `${entity}_id`, opts.signal);
    return {
      records: records.map((r) => ({ kind: entity, id: String(r.data.id), data: r.data, fieldValues: r.fieldValues }) as AffinityRecord),
      skipped,
      nextCursor: next === null ? null : encodeCursor({ ps: c.ps, t: next }),
    };
  }

  async function readListEntries(cursor: string | null, opts: ReadPageOptions): Promise<AffinitySourcePage> {
    const all = await lists(opts.signal);
    const c = cursor ? decodeCursor(cursor) : { ps: pageSize(opts), t: null, l: all[0]?.id };
    if (c.l === undefined) return { records: [], skipped: [], nextCursor: null };
    const listId = c.l;
    const body = await client.get<{ list_entries?: AffinityListEntry[] }>(`/lists/${listId}/list-entries`, [['page_size', c.ps], ['page_token', c.t]], opts.signal);
    const next = nextToken(body);
    const { records, skipped } = await withValues(body.list_entries ?? [], 'list_entry', 'list_entry_id', opts.signal);
    const nextList = all.find((l) => l.id > listId);
    const nextCursor = next !== null ? encodeCursor({ ps: c.ps, t: next, l: listId }) : nextList ? encodeCursor({ ps: c.ps, t: null, l: nextList.id }) : null;
    return {
      records: records.map((r) => ({ kind: 'list_entry' as const, id: String(r.data.id), data: { ...r.data, list_id: r.data.list_id ?? listId }, fieldValues: r.fieldValues })),
      skipped,
      nextCursor,
    };
  }

  async function readNotes(cursor: string | null, opts: ReadPageOptions): Promise<AffinitySourcePage> {
    const c = cursor ? decodeCursor(cursor) : { ps: pageSize(opts), t: null };
    const body = await client.get<{ notes?: AffinityNote[] }>('/notes', [['page_size', c.ps], ['page_token', c.t]], opts.signal);
    const next = nextToken(body);
    return {
      records: (body.notes ?? []).map((data) => ({ kind: 'note' as const, id: String(data.id), data })),
      skipped: [],
      nextCursor: next === null ? null : encodeCursor({ ps: c.ps, t: next }),
    };
  }

  return {
    system: 'affinity',
    listObjectKinds: () => KINDS,
    async estimateCount(kind, opts) {
      // v1 has no count endpoint; list sizes are the one count it publishes.
      if (kind === 'lists') return (await lists(opts?.signal)).length;
      if (kind === 'list_entries') return (await lists(opts?.signal)).reduce((n, l) => n + (l.list_size ?? 0), 0);
      return null;
    },
    readPage(kind, cursor, opts = {}) {
      const entity = ENTITY_OF[kind];
      if (entity) return readEntities(kind, entity, cursor, opts);
      if (kind === 'list_entries') return readListEntries(cursor, opts);
      if (kind === 'notes') return readNotes(cursor, opts);
      return lists(opts.signal).then((all) => ({
        records: all.map((data) => ({ kind: 'list' as const, id: String(data.id), data })),
        skipped: [],
        nextCursor: null,
      }));
    },
    async readRecord(kind, id, opts = {}) {
      const data = await client.get<AffinityPerson | AffinityOrganization | AffinityOpportunity>(`${PATH_OF[kind]}/${encodeURIComponent(id)}`, [], opts.signal);
      const values = await fieldValues(`${kind}_id`, data.id, opts.signal);
      return { kind, id: String(data.id), data, fieldValues: values } as AffinityRecord;
    },
    async readFieldSchema(opts = {}) {
      const [personFields, orgFields, allLists, allFields] = await Promise.all([
        client.get<AffinityField[]>('/persons/fields', [], opts.signal),
        client.get<AffinityField[]>('/organizations/fields', [], opts.signal),
        lists(opts.signal),
        client.get<AffinityField[]>('/fields', [], opts.signal),
      ]);
      const listFields = allFields.filter((f) => f.list_id !== null && f.list_id !== undefined);
      return {
        fields: [...personFields.map((f) => ({ ...f, entity_type: 0 })), ...orgFields.map((f) => ({ ...f, entity_type: 1 }))],
        lists: allLists.map((l) => ({ ...l, fields: listFields.filter((f) => f.list_id === l.id) })),
      };
    },
  };
}

function pageSize(opts: ReadPageOptions): number {
  return Math.max(1, Math.min(MAX_PAGE, opts.pageSize ?? MAX_PAGE));
}

function nextToken(body: unknown): string | null {
  const token = (body as { next_page_token?: unknown } | null)?.next_page_token;
  return typeof token === 'string' && token !== '' ? token : null;
}
