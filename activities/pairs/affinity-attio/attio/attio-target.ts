import type { PrefetchingIdMap } from '../../../connectors/id-map/cached-id-map.ts';
import type { IdMapStore } from '../../../connectors/id-map/id-map.ts';
import type { TargetConnector } from '../connector-types.ts';
import type { AttioClient } from './attio-client.ts';
import { createEntryWriter } from './attio-entries.ts';
import { createNoteWriter } from './attio-notes.ts';
import { createRecordWriter, uniqueClaimsOf } from './attio-records.ts';
import { ensureAttioSchema } from './attio-schema.ts';

export interface AttioTargetOptions {
  client: AttioClient;
  /** Scoped to (tenant, scope) by its creator. */
  idMap: IdMapStore;
  /** Attribute with the source id on every record (the mapping's `sourceIdAttribute`). */
  sourceIdAttribute?: string;
  /** Entry attribute with the source entry id (the mapping's `list.entryIdAttribute`). */
  entryIdAttribute?: string;
  /** Reads the source note id back from a note title (the mapping's `parseNoteMarker`). */
  parseNoteMarker: (title: string) => string | null;
  /** Records already in the id map: write again (default, a true upsert) or skip (cheap resume). */
  onExisting?: 'update' | 'skip';
  verifyNotesBeforeCreate?: boolean;
}

/** Attio v2 as a migration target. */
export function createAttioTarget(options: AttioTargetOptions): TargetConnector {
  const { client, idMap } = options;
  const onExisting = options.onExisting ?? 'update';
  const upsertRecord = createRecordWriter({ client, idMap, sourceIdAttribute: options.sourceIdAttribute ?? 'affinity_id', onExisting });
  const createNote = createNoteWriter({
    client, idMap, parseMarker: options.parseNoteMarker,
    ...(options.verifyNotesBeforeCreate === undefined ? {} : { verifyBeforeCreate: options.verifyNotesBeforeCreate }),
  });
  const addListEntry = createEntryWriter({ client, idMap, entryIdAttribute: options.entryIdAttribute ?? 'affinity_entry_id', onExisting });
  const prefetching = 'prefetch' in idMap ? (idMap as PrefetchingIdMap) : null;
  return {
    system: 'attio',
    /**
     * With a prefetching id map: one read for every source of the chunk, and (when records are
     * written again anyway) one bulk claim of the chunk's unique values in chunk order, so the
     * writes find both in the cache instead of each costing its own round trips.
     */
    async prepareWrites(writes, opts) {
      if (!prefetching || writes.length === 0) return;
      await prefetching.prefetch(writes.map((w) => w.write.source));
      if (onExisting !== 'update') return;
      const claims = writes.flatMap((w) => (w.kind === 'record' ? uniqueClaimsOf(w.write) : []));
      if (claims.length > 0) await prefetching.put(claims, opts?.jobId ? { jobId: opts.jobId } : {});
    },
    ensureSchema: (plan, opts) => ensureAttioSchema(client, plan, opts?.signal),
    upsertRecord,
    createNote,
    addListEntry,
    resolveReferences: (keys) => idMap.get(keys),
  };
}
