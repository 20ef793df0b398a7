import { isConnectorError } from '../../../connectors/connector-error.ts';
import { mapWithConcurrency } from '../../../connectors/concurrency.ts';
import type { IdMapStore } from '../../../connectors/id-map/id-map.ts';
import { isRecordLevelKind, NOT_FOUND } from '../../../../shared/error-kinds.ts';
import type { BeforeReadFailure, ImageValues, PairUndo, TargetRef, WriteImage } from '../../pair.ts';
import type { ListEntryWrite, RecordWrite, WriteIntent } from '../connector-types.ts';
import type { AttioClient } from './attio-client.ts';
import { imageOf, sameImage, writableImage } from './attio-images.ts';
import type { AttioEntry, AttioListResponse, AttioRecordResponse } from './attio-types.ts';
import { uniqueValueOf } from './unique-claims.ts';

export interface AttioUndoOptions {
  client: AttioClient;
  idMap: IdMapStore;
  sourceIdAttribute: string;
  entryIdAttribute: string;
  /** Before-image reads in flight per chunk (the client's read budget paces them). */
  concurrency?: number;
}

const orNull = async <T>(read: Promise<T>): Promise<T | null> => {
  try {
    return await read;
  } catch (err) {
    if (isConnectorError(err) && err.kind === NOT_FOUND) return null;
    throw err;
  }
};

/**
 * Undo for Attio (issue 17): before-images read ahead of each write, and the per-record operations
 * of an undo job. Extra read cost of a migration, per write: a record known to the id map 1 read
 * (GET by id); an unknown record 1 query per matching value tried (one for the usual single-domain or
 * single-email record) plus 1 query by source id when it has none; a list entry 1 read or query;
 * a note none (notes are only ever created, so a note unknown to the id map is the job's own).
 */
export function createAttioUndo(options: AttioUndoOptions): { readBefore: (writes: readonly WriteIntent[], o: { signal: AbortSignal }) => Promise<(WriteImage | BeforeReadFailure)[]>; undo: PairUndo } {
  const { client, idMap } = options;

  const getRecord = (object: string, id: string, signal: AbortSignal) =>
    orNull(client.request<AttioRecordResponse>('GET', `/objects/${object}/records/${id}`, { signal }));
  const queryRecord = async (object: string, filter: Record<string, unknown>, signal: AbortSignal) =>
    (await client.request<AttioListResponse<AttioRecordResponse['data']>>('POST', `/objects/${object}/records/query`, { body: { filter, limit: 1 }, signal })).data[0];

  /** The record the write will land on (what the writer's assert, id map or orphan search finds). */
  const recordBefore = async (write: RecordWrite, known: TargetRef | undefined, signal: AbortSignal): Promise<WriteImage> => {
    // Every attribute, not only this write's: a later write of the same record (the references pass)
    // may set more of them, and the undo restores whatever the job's last write set.
    const found = (object: string, row: AttioRecordResponse['data'] | undefined | null): WriteImage | null =>
      (row ? { source: write.source, target: { object, id: row.id.record_id }, before: imageOf(row.values, Object.keys(row.values ?? {})) } : null);
    if (known) {
      const hit = found(known.object, (await getRecord(known.object, known.id, signal))?.data);
      if (hit) return hit;
    }
    const attr = write.matchingAttribute;
    const matching = attr === null ? [] : [write.values[attr]].flat().filter((v) => v !== undefined && v !== null);
    for (const value of matching) {
      const key = uniqueValueOf(value);
      if (attr === null || key === null) continue;
      const hit = found(write.object, await queryRecord(write.object, { [attr]: key }, signal));
      if (hit) return hit;
    }
    const sourceId = write.values[options.sourceIdAttribute];
    if (typeof sourceId === 'string') {
      const hit = found(write.object, await queryRecord(write.object, { [options.sourceIdAttribute]: sourceId }, signal));
      if (hit) return hit;
    }
    return { source: write.source, target: null, before: null };
  };

  const entryBefore = async (entry: ListEntryWrite, known: TargetRef | undefined, signal: AbortSignal): Promise<WriteImage> => {
    const row = known
      ? (await orNull(client.request<{ data: AttioEntry }>('GET', `/lists/${entry.list}/entries/${known.id}`, { signal })))?.data
      : (await client.request<{ data: AttioEntry[] }>('POST', `/lists/${entry.list}/entries/query`, {
        body: { filter: { [options.entryIdAttribute]: entry.source.id }, limit: 1 }, signal,
      })).data[0];
    return row
      ? { source: entry.source, target: { object: `list:${entry.list}`, id: row.id.entry_id }, before: imageOf(row.entry_values, Object.keys(row.entry_values ?? {})) }
      : { source: entry.source, target: null, before: null };
  };

  async function readBefore(writes: readonly WriteIntent[], o: { signal: AbortSignal }): Promise<(WriteImage | BeforeReadFailure)[]> {
    const known = await idMap.get(writes.map((w) => w.write.source));
    const keyOf = (w: WriteIntent) => `${w.write.source.kind}:${w.write.source.id}`;
    return mapWithConcurrency(writes, options.concurrency ?? 8, async (w): Promise<WriteImage | BeforeReadFailure> => {
      const ref = known.get(keyOf(w));
      try {
        if (w.kind === 'record') return await recordBefore(w.write, ref, o.signal);
        if (w.kind === 'list_entry') return await entryBefore(w.write, ref, o.signal);
      } catch (error) {
        // One record's read failing (a 5xx, a refusal) holds back that record's write, not the chunk's.
        if (isConnectorError(error) && (error.retryable || isRecordLevelKind(error.kind))) return { error };
        throw error;
      }
      // A note the id map knows was written before this job (kept); any other is created by it.
      return ref ? { source: w.write.source, target: ref, before: {} } : { source: w.write.source, target: null, before: null };
    });
  }

  const pathOf = (target: TargetRef): string => {
    if (target.object === 'note') return `/notes/${target.id}`;
    if (target.object.startsWith('list:')) return `/lists/${target.object.slice(5)}/entries/${target.id}`;
    return `/objects/${target.object}/records/${target.id}`;
  };

  const undo: PairUndo = {
    async read(target, attributes, o) {
      const res = await orNull(client.request<{ data: { values?: Record<string, unknown>; entry_values?: Record<string, unknown> } }>('GET', pathOf(target), { signal: o.signal }));
      if (!res) return null;
      if (target.object === 'note') return {};
      return imageOf(target.object.startsWith('list:') ? res.data.entry_values : res.data.values, attributes);
    },
    same: (a: ImageValues, b: ImageValues) => sameImage(a, b),
    async remove(target, o) {
      return (await orNull(client.request('DELETE', pathOf(target), { signal: o.signal }))) !== null;
    },
    async restore(target, before, o) {
      // PUT replaces multiselect values (PATCH would append): the attributes end exactly as before.
      const field = target.object.startsWith('list:') ? 'entry_values' : 'values';
      await client.request('PUT', pathOf(target), { body: { data: { [field]: writableImage(before) } }, signal: o.signal });
    },
  };
  return { readBefore, undo };
}
