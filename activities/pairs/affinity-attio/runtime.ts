import { inContext } from '../../connectors/connector-error.ts';
import { limitsOf } from '../limits.ts';
import { secretOf, type PairRuntime, type PairRuntimeDeps, type PreparedInfo } from '../pair.ts';
import { createAffinityClient, type AffinityClient } from './affinity/affinity-client.ts';
import { createAffinitySource } from './affinity/affinity-source.ts';
import type { AffinityObjectKind, AffinityRecord } from './affinity/affinity-types.ts';
import { createAttioClient, type AttioClient } from './attio/attio-client.ts';
import { createAttioPreview } from './attio/attio-preview.ts';
import { readEntryImage, readRecordImage } from './attio/attio-images.ts';
import { createAttioTarget } from './attio/attio-target.ts';
import { createAttioUndo } from './attio/attio-undo.ts';
import { mapRecord, parseNoteMarker, planSchema, referencedKeys, resolveMappingConfig, resolverFrom, type FieldIndex, type MapContext, type MappedWrite } from './mapping/index.ts';

/** What `prepare` gives the mapping: the source's field index and the target's default actor. */
export interface AffinityAttioPrepared extends PreparedInfo {
  fields: FieldIndex;
  defaultActorId: string | null;
}

/**
 * Job objects are what users choose; "lists" means the list entries (the lists themselves are
 * created by the schema step before any batch runs).
 */
export function sourceKindOf(object: string): AffinityObjectKind {
  const kinds: Record<string, AffinityObjectKind> = {
    organizations: 'organizations', persons: 'persons', opportunities: 'opportunities', lists: 'list_entries', notes: 'notes',
  };
  const kind = kinds[object];
  if (!kind) throw new Error(`unknown object kind "${object}"`);
  return kind;
}

/** The id-map kind of each job object's records (the mapping's `source.kind`). */
const SOURCE_KINDS: Record<string, string> = {
  organizations: 'organization', persons: 'person', opportunities: 'opportunity', lists: 'list_entry', notes: 'note',
};

/** The id-map key of a record of a job object: where its delta hashes are kept. */
export function sourceKeyOf(object: string, record: AffinityRecord): { kind: string; id: string } {
  const kind = SOURCE_KINDS[object];
  if (!kind) throw new Error(`unknown object kind "${object}"`);
  return { kind, id: String(record.id) };
}

/** References of a record (parents included) that do not resolve with what is migrated so far. */
export function unresolvedNow(record: AffinityRecord, fields: FieldIndex, ctx: MapContext): number {
  return referencedKeys([record], fields).filter((key) => ctx.resolve(key) === undefined).length;
}

/** The job's Affinity and Attio clients, paced by the configured limits and the shared budgets (the job and its reconciliation use these). */
export function createPairClients(deps: Pick<PairRuntimeDeps, 'job' | 'limits' | 'source' | 'target' | 'sourceUrl' | 'targetUrl' | 'budgets' | 'logger' | 'dispatcher'>): { affinity: AffinityClient; attio: AttioClient } {
  const { job, limits } = deps;
  const affinity = limitsOf(limits, 'affinity');
  const attio = limitsOf(limits, 'attio');
  return {
    affinity: createAffinityClient({
      baseUrl: deps.sourceUrl, apiKey: secretOf(deps.source, 'apiKey'), budgets: deps.budgets, logger: deps.logger(job.source_connection_id), dispatcher: deps.dispatcher,
      ...(affinity.requestsPerMinute ? { requestsPerMinute: affinity.requestsPerMinute } : {}),
      ...(limits.requestTimeoutMs ? { timeoutMs: limits.requestTimeoutMs } : {}),
    }),
    attio: createAttioClient({
      baseUrl: deps.targetUrl, token: secretOf(deps.target, 'apiKey'), budgets: deps.budgets, logger: deps.logger(job.target_connection_id), dispatcher: deps.dispatcher,
      ...(attio.writesPerSec ? { writesPerSec: attio.writesPerSec } : {}),
      ...(attio.readsPerSec ? { readsPerSec: attio.readsPerSec } : {}),
      ...(attio.queryScorePer10s ? { queryScorePer10s: attio.queryScorePer10s } : {}),
      ...(limits.requestTimeoutMs ? { timeoutMs: limits.requestTimeoutMs } : {}),
    }),
  };
}

/**
 * Job objects Affinity can list by change time: notes only. Of what the source reads, v2 documents a
 * `filter` with `createdAt`/`updatedAt` on `GET /v2/notes` (and on a note's replies and an entity's
 * notes); `GET /v2/persons`, `/v2/companies`, `/v2/opportunities` and `/v2/lists/{id}/list-entries`
 * take no filter at all, and v1 has none either, so those objects are read whole by every delta.
 */
export const AFFINITY_CHANGE_FILTERS: readonly string[] = ['notes'];

/** One job's Affinity → Attio runtime: the Affinity source, the Attio target and the mapping between. */
export function createAffinityAttioRuntime(deps: PairRuntimeDeps): PairRuntime<AffinityRecord, AffinityAttioPrepared, MapContext, MappedWrite> {
  const { job } = deps;
  const mapping = resolveMappingConfig(job.options.mapping ?? {});
  const clients = createPairClients(deps);
  const source = createAffinitySource({ client: clients.affinity });
  const target = createAttioTarget({
    client: clients.attio,
    idMap: deps.idMap,
    parseNoteMarker,
    sourceIdAttribute: mapping.sourceIdAttribute,
    entryIdAttribute: mapping.list.entryIdAttribute,
  });
  const images = createAttioUndo({
    client: clients.attio, idMap: deps.idMap, sourceIdAttribute: mapping.sourceIdAttribute, entryIdAttribute: mapping.list.entryIdAttribute,
  });
  const preview = createAttioPreview({ client: clients.attio, idMap: deps.idMap, sourceIdAttribute: mapping.sourceIdAttribute });

  return {
    readPage: (object, cursor, o) => source.readPage(sourceKindOf(object), cursor, o),
    changeFilters: AFFINITY_CHANGE_FILTERS,
    recordId: (record) => record.id,
    async prepare({ dryRun, signal }) {
      // Each side's failures say which side it was: a source 400 here is not the target's problem.
      const schema = await source.readFieldSchema(signal ? { signal } : undefined).catch((err: unknown) => {
        throw inContext(err, 'reading the source fields');
      });
      const planned = planSchema(schema, mapping);
      // A dry run writes no schema, but reads the deal owner a real run would use, so its diff judges deals as written.
      if (dryRun) return { fields: planned.fields, defaultActorId: await preview.defaultActorId(signal), warnings: planned.warnings, created: [] };
      const ensured = await target.ensureSchema(planned.plan, signal ? { signal } : undefined).catch((err: unknown) => {
        throw inContext(err, 'preparing the target schema');
      });
      return { fields: planned.fields, defaultActorId: ensured.defaultActor?.id ?? null, warnings: planned.warnings, created: ensured.created };
    },
    referencedKeys: (records, prepared) => referencedKeys(records, prepared.fields),
    resolveReferences: (keys) => target.resolveReferences(keys),
    context: (prepared, resolved) => ({
      config: mapping, fields: prepared.fields, resolve: resolverFrom(resolved), now: new Date(), defaultActorId: prepared.defaultActorId,
    }),
    map: (record, ctx) => mapRecord(record, ctx),
    unresolvedNow: (record, ctx) => unresolvedNow(record, ctx.fields, ctx),
    prepareWrites: (writes, o) => target.prepareWrites?.(writes, o) ?? Promise.resolve(),
    write(w, o) {
      return w.kind === 'record' ? target.upsertRecord(w.write, o)
        : w.kind === 'note' ? target.createNote(w.write, o)
          : target.addListEntry(w.write, o);
    },
    readBefore: (writes, o) => images.readBefore(writes, o),
    undo: images.undo,
    sourceKey: (object, record) => sourceKeyOf(object, record),
    // Notes have no after-image: Attio has no note update, a written note is never written again.
    readImage: (w, ref, o) => (w.kind === 'record' ? readRecordImage(clients.attio, w.write, ref, o)
      : w.kind === 'list_entry' ? readEntryImage(clients.attio, w.write, ref, o) : Promise.resolve(null)),
    writeValues: (w) => (w.kind === 'note' ? { title: w.write.title, content: w.write.content } : w.write.values),
    preview(w, o) {
      return w.kind === 'record' ? preview.previewRecord(w.write, o.signal)
        : w.kind === 'note' ? preview.previewNote(w.write)
          : preview.previewEntry(w.write);
    },
  };
}
