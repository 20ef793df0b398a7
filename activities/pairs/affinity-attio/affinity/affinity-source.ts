import { isConnectorError } from '../../../connectors/connector-error.ts';
import type { ReadPageOptions, SourceConnector, SourceKey, SourceObjectKindInfo, SourcePage } from '../connector-types.ts';
import { MERGED, type ErrorKind } from '../../../../shared/error-kinds.ts';
import { ConnectorError } from '../../../connectors/connector-error.ts';
import type { QueryValue } from '../../../connectors/http/http-client.ts';
import type { AffinityClient } from './affinity-client.ts';
import { decodeCursor, encodeCursor } from './affinity-cursor.ts';
import { createMergeLookup } from './affinity-merges.ts';
import { readNotePage } from './affinity-notes.ts';
import { AFFINITY_LIST_TYPES, type AffinityField, type AffinityFieldSchema, type AffinityList, type AffinityObjectKind, type AffinityRecord } from './affinity-types.ts';
import { fieldValuesOf, listEntryOf, opportunityOf, organizationOf, personOf } from './affinity-v2-records.ts';
import type { V2Company, V2ListEntry, V2Paged, V2Person } from './affinity-v2-types.ts';

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
  /** The lists (v1 `/lists`, with `list_size`), sorted by id; read once per source. */
  lists(signal?: AbortSignal): Promise<AffinityList[]>;
}

export interface AffinitySourceOptions {
  client: AffinityClient;
  /** Extra calls (attached entities, replies of a page's notes) in flight at once. */
  concurrency?: number;
}

/** v2's largest page (`limit` ≤ 100 on every listing the source reads). */
export const AFFINITY_PAGE_MAX = 100;

const KINDS: readonly SourceObjectKindInfo<AffinityObjectKind>[] = [
  { kind: 'organizations', dependsOn: [], maxPageSize: AFFINITY_PAGE_MAX },
  { kind: 'persons', dependsOn: ['organizations'], maxPageSize: AFFINITY_PAGE_MAX },
  { kind: 'opportunities', dependsOn: ['organizations', 'persons'], maxPageSize: AFFINITY_PAGE_MAX },
  { kind: 'lists', dependsOn: [], maxPageSize: AFFINITY_PAGE_MAX },
  { kind: 'list_entries', dependsOn: ['lists', 'organizations', 'persons', 'opportunities'], maxPageSize: AFFINITY_PAGE_MAX },
  { kind: 'notes', dependsOn: ['organizations', 'persons', 'opportunities'], maxPageSize: AFFINITY_PAGE_MAX },
];

/** Person fields asked for inline: global (custom) and enriched (`affinity-data-current-organization`). */
const PERSON_FIELD_TYPES: Array<[string, QueryValue]> = [['fieldTypes', 'enriched'], ['fieldTypes', 'global']];
const COMPANY_FIELD_TYPES: Array<[string, QueryValue]> = [['fieldTypes', 'global']];
/** List entries: the list's own fields (for opportunities: `persons`, `companies`, stage…). */
const ENTRY_FIELD_TYPES: Array<[string, QueryValue]> = [['fieldTypes', 'list']];

/**
 * Affinity as a source, on v2 wherever v2 has the data: companies and persons with their field
 * values inline (one call per 100 records instead of one `/field-values` call per record),
 * opportunities from their list entries (the `persons`/`companies` list fields are the deal's
 * associations), list entries with entity and list fields inline, notes with attached entities
 * and replies. v1 only for what v2 lacks: lists with sizes and the field schema with dropdown
 * options. Pages follow `pagination.nextUrl`, which must stay on the configured origin.
 */
export function createAffinitySource(options: AffinitySourceOptions): AffinitySource {
  const { client } = options;
  const concurrency = options.concurrency ?? 8;
  const merges = createMergeLookup(client);
  let listsPromise: Promise<AffinityList[]> | undefined;

  const lists = (signal?: AbortSignal): Promise<AffinityList[]> => {
    listsPromise ??= client.get<AffinityList[]>('/lists', [], signal).then((all) => [...all].sort((a, b) => a.id - b.id));
    listsPromise.catch(() => (listsPromise = undefined));
    return listsPromise;
  };

  const limitOf = (opts: ReadPageOptions): number => Math.max(1, Math.min(AFFINITY_PAGE_MAX, opts.pageSize ?? AFFINITY_PAGE_MAX));

  /** First page by path and params; later pages by the nextUrl the cursor holds. */
  async function page<T>(cursorUrl: string | null, path: string, query: Array<[string, QueryValue]>, opts: ReadPageOptions): Promise<{ items: T[]; next: string | null }> {
    const body = cursorUrl
      ? await client.getNext<V2Paged<T>>(cursorUrl, opts.signal)
      : await client.getV2<V2Paged<T>>(path, [['limit', limitOf(opts)], ...query], opts.signal);
    const next = body.pagination?.nextUrl;
    return { items: body.data ?? [], next: typeof next === 'string' && next !== '' ? next : null };
  }

  async function readCompanies(cursor: string | null, opts: ReadPageOptions): Promise<AffinitySourcePage> {
    const { items, next } = await page<V2Company>(cursor ? decodeCursor(cursor).u : null, '/v2/companies', COMPANY_FIELD_TYPES, opts);
    return {
      records: items.map((c) => ({ kind: 'organization' as const, id: String(c.id), data: organizationOf(c), fieldValues: fieldValuesOf(c.fields, c.id, null) })),
      skipped: [],
      nextCursor: next === null ? null : encodeCursor({ u: next }),
    };
  }

  async function readPersons(cursor: string | null, opts: ReadPageOptions): Promise<AffinitySourcePage> {
    const { items, next } = await page<V2Person>(cursor ? decodeCursor(cursor).u : null, '/v2/persons', PERSON_FIELD_TYPES, opts);
    return {
      records: items.map((p) => ({ kind: 'person' as const, id: String(p.id), data: personOf(p), fieldValues: fieldValuesOf(p.fields, p.id, null) })),
      skipped: [],
      nextCursor: next === null ? null : encodeCursor({ u: next }),
    };
  }

  /**
   * Walks the list entries of the lists `keep` admits, list after list (by id). `opportunities`
   * walks the opportunity lists (an opportunity's fields and associations live on its one entry);
   * `list_entries` walks every list.
   */
  async function readByList(kind: 'opportunities' | 'list_entries', cursor: string | null, opts: ReadPageOptions): Promise<AffinitySourcePage> {
    const keep = (l: AffinityList) => kind === 'list_entries' || l.type === AFFINITY_LIST_TYPES.opportunity;
    const walked = (await lists(opts.signal)).filter(keep);
    const c = cursor ? decodeCursor(cursor) : { u: null, l: walked[0]?.id };
    if (c.l === undefined) return { records: [], skipped: [], nextCursor: null };
    const listId = c.l;
    const { items, next } = await page<V2ListEntry>(c.u, `/v2/lists/${listId}/list-entries`, ENTRY_FIELD_TYPES, opts);
    const nextList = walked.find((l) => l.id > listId);
    const nextCursor = next !== null ? encodeCursor({ u: next, l: listId }) : nextList ? encodeCursor({ u: null, l: nextList.id }) : null;
    const records: AffinityRecord[] = kind === 'opportunities'
      ? items.flatMap((e) => (e.type === 'opportunity'
        ? [{ kind: 'opportunity' as const, id: String(e.entity.id), data: opportunityOf(e.entity), fieldValues: fieldValuesOf(e.entity.fields, e.entity.id, e.id) }]
        : []))
      : items.map((e) => ({ kind: 'list_entry' as const, id: String(e.id), data: listEntryOf(e), fieldValues: fieldValuesOf(e.entity.fields, e.entity.id, e.id) }));
    return { records, skipped: [], nextCursor };
  }

  async function readNotes(cursor: string | null, opts: ReadPageOptions): Promise<AffinitySourcePage> {
    const result = await readNotePage(client, cursor ? decodeCursor(cursor).u : null, {
      limit: limitOf(opts), concurrency, signal: opts.signal, changedSince: cursor ? null : opts.changedSince ?? null,
    });
    return {
      records: result.notes.map((data) => ({ kind: 'note' as const, id: String(data.id), data })),
      skipped: [],
      nextCursor: result.next === null ? null : encodeCursor({ u: result.next }),
    };
  }

  /** A 404 on a person/company: merged (documented merge records) or gone. */
  async function explainNotFound(kind: 'person' | 'organization', id: string, error: ConnectorError, signal?: AbortSignal): Promise<never> {
    const survivor = await merges.survivorOf(kind, Number(id), signal);
    if (survivor === null) throw error;
    throw new ConnectorError({
      kind: MERGED, status: error.status,
      message: `Affinity ${kind} ${id} was merged into ${survivor}`,
      details: { mergedId: id, mergedInto: String(survivor) },
    });
  }

  async function readOne(kind: 'organization' | 'person' | 'opportunity', id: string, signal?: AbortSignal): Promise<AffinityRecord> {
    const key = encodeURIComponent(id);
    if (kind === 'person') {
      const p = await client.getV2<V2Person>(`/v2/persons/${key}`, PERSON_FIELD_TYPES, signal);
      return { kind, id: String(p.id), data: personOf(p), fieldValues: fieldValuesOf(p.fields, p.id, null) };
    }
    if (kind === 'organization') {
      const c = await client.getV2<V2Company>(`/v2/companies/${key}`, COMPANY_FIELD_TYPES, signal);
      return { kind, id: String(c.id), data: organizationOf(c), fieldValues: fieldValuesOf(c.fields, c.id, null) };
    }
    // v2 has no opportunity → list entry link; v1's single GET names its one list entry.
    const v1 = await client.get<{ id: number; list_entries?: Array<{ id: number; list_id: number }> | null }>(`/opportunities/${key}`, [], signal);
    const entry = v1.list_entries?.[0];
    if (!entry) throw new ConnectorError({ kind: 'not_found', status: 404, message: `Affinity opportunity ${id} is on no list` });
    const e = await client.getV2<V2ListEntry>(`/v2/lists/${entry.list_id}/list-entries/${entry.id}`, ENTRY_FIELD_TYPES, signal);
    if (e.type !== 'opportunity') throw new ConnectorError({ kind: 'not_found', status: 404, message: `Affinity list entry ${entry.id} is not an opportunity's` });
    return { kind, id: String(e.entity.id), data: opportunityOf(e.entity), fieldValues: fieldValuesOf(e.entity.fields, e.entity.id, e.id) };
  }

  /** One v2 page (or the lists, which come in one v1 call). */
  function readOnePage(kind: AffinityObjectKind, cursor: string | null, opts: ReadPageOptions): Promise<AffinitySourcePage> {
    switch (kind) {
      case 'organizations':
        return readCompanies(cursor, opts);
      case 'persons':
        return readPersons(cursor, opts);
      case 'opportunities':
      case 'list_entries':
        return readByList(kind, cursor, opts);
      case 'notes':
        return readNotes(cursor, opts);
      case 'lists':
        return lists(opts.signal).then((all) => ({
          records: all.map((data) => ({ kind: 'list' as const, id: String(data.id), data })),
          skipped: [],
          nextCursor: null,
        }));
    }
  }

  return {
    system: 'affinity',
    listObjectKinds: () => KINDS,
    lists,
    async estimateCount(kind, opts) {
      // v1 list sizes are the counts Affinity publishes; every opportunity sits on one opportunity list.
      const all = await lists(opts?.signal);
      const sizeOf = (keep: (l: AffinityList) => boolean) => all.filter(keep).reduce((n, l) => n + (l.list_size ?? 0), 0);
      if (kind === 'lists') return all.length;
      if (kind === 'list_entries') return sizeOf(() => true);
      if (kind === 'opportunities') return sizeOf((l) => l.type === AFFINITY_LIST_TYPES.opportunity);
      return null;
    },
    async readPage(kind, cursor, opts = {}) {
      // A batch larger than v2's page of 100 is read as several whole pages (never more than asked).
      const wanted = Math.max(1, opts.pageSize ?? AFFINITY_PAGE_MAX);
      const perPage = Math.min(AFFINITY_PAGE_MAX, wanted);
      const first = await readOnePage(kind, cursor, opts);
      const records = [...first.records];
      let next = first.nextCursor;
      while (next !== null && records.length + perPage <= wanted) {
        const more = await readOnePage(kind, next, opts);
        records.push(...more.records);
        next = more.nextCursor;
      }
      return { records, skipped: [], nextCursor: next };
    },
    async readRecord(kind, id, opts = {}) {
      try {
        return await readOne(kind, id, opts.signal);
      } catch (error) {
        if (kind !== 'opportunity' && isConnectorError(error) && error.kind === 'not_found') return explainNotFound(kind, id, error, opts.signal);
        throw error;
      }
    },
    async readFieldSchema(opts = {}) {
      // v1: v2's field metadata has no dropdown options (Attio select options are created up front).
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
