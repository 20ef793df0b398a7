import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/jobs/job-request.ts';
import { DELTA_ACTIONS } from '../../../shared/jobs/delta-options.ts';
import { mapWithConcurrency } from '../../connectors/concurrency.ts';
import { sourceKeyString, type SourceKey } from '../../connectors/id-map/id-map.ts';
import type { MapOutcome, PairRuntime } from '../../pairs/pair.ts';
import type { JobRef } from '../contract.ts';
import type { JobRow, RecordOutcome } from '../job-store.ts';
import type { SourceRow } from '../source-rows.ts';
import type { WriteAttempt } from '../write-record.ts';
import type { ConflictItem, DeltaStore, HashUpdate } from './delta-store.ts';

/** sha256 of the canonical JSON (keys sorted): equal content, equal hash, whatever the key order. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/**
 * The after-image as kept: one hash per field (the pair's image is `{ field: values }`), so a later
 * delta compares exactly the fields Freight wrote, whatever the next write sets.
 */
export function imageHashes(image: unknown): Record<string, string> {
  if (typeof image !== 'object' || image === null || Array.isArray(image)) return { '': contentHash(image) };
  return Object.fromEntries(Object.entries(image).map(([field, values]) => [field, contentHash(values ?? [])]));
}

/** The fields whose current view differs from the kept after-image (a field absent now reads as empty). */
export function editedFields(kept: Readonly<Record<string, string>>, now: unknown): string[] {
  const current = typeof now === 'object' && now !== null && !Array.isArray(now) ? now as Record<string, unknown> : { '': now };
  return Object.entries(kept).filter(([field, hash]) => contentHash(current[field] ?? []) !== hash).map(([field]) => field);
}

/** What the delta pass decided for one chunk, before its writes go out. */
export interface DeltaChunk {
  /** Per row: the outcome of a record not written (unchanged, or a conflict kept as the target has it); null = write it. */
  settled: (RecordOutcome | null)[];
  /** Per row: the id-map key and content hash to remember once its write succeeds. */
  hashes: ({ key: SourceKey; hash: string } | null)[];
  /** Per row: a conflict written over (take-source), listed once the write succeeds. */
  taken: (ConflictItem | null)[];
  /** Per row: written before and changed at the source since (a write that changes nothing then is pending). */
  changed: boolean[];
  /** Per row: a write over a record Freight created and found unedited (or a conflict taken): it replaces, not merges (PairRuntime.write). */
  overwrite: boolean[];
}

/** The record-log note of a record changed at the source that the target's write left as it was (Attio notes cannot be updated). */
export const NOT_UPDATABLE = 'changed at the source; the target cannot update it (pending)';

export interface DeltaPassDeps {
  store: DeltaStore;
  runtime: PairRuntime;
  job: JobRow;
  ref: JobRef;
  /** The id map's scope (the connection pair). */
  scope: string;
  object: string;
  batchId: string;
  /** Compare with what is kept (a delta's first load of a record); false in a references-pass rewrite. */
  compare: boolean;
  /** Target reads in flight while a chunk's after-images are compared. */
  readConcurrency: number;
}

/**
 * Content hashes and after-images around a batch's writes. Every job of a pair with deltas keeps,
 * per record it writes, the hash of the source record and of the target's view of the write. A
 * delta job (options.delta) also skips records whose hash did not change, and compares the target's
 * current view with the kept after-image — of every record it wrote before, or (targetEdits `changed`)
 * only of those changed at the source: an edit made in the target since Freight wrote the record is a
 * conflict, kept or overwritten as the job says, listed either way. A write over an unedited record
 * Freight created overwrites it, so values removed at the source are removed in the target too.
 * Returns null for pairs without deltas and for dry runs (nothing is written, nothing is kept).
 */
export function createDeltaPass(deps: DeltaPassDeps) {
  const { runtime, job, store, ref, scope } = deps;
  const sourceKey = runtime.sourceKey?.bind(runtime);
  if (!sourceKey || job.dry_run) return null;
  const delta = deps.compare ? job.options.delta ?? null : null;

  const base = (row: SourceRow & { t: 'record' }, targetObject: string, targetId: string) => ({
    object: deps.object, sourceId: runtime.recordId(row.record), batchId: deps.batchId, targetObject, targetId, errorKind: null, errorMessage: null,
  });

  async function plan(rows: readonly SourceRow[], mapped: readonly (MapOutcome<unknown> | null)[], signal: AbortSignal): Promise<DeltaChunk> {
    const hashes = rows.map((row) => (row.t === 'record' ? { key: sourceKey!(deps.object, row.record), hash: contentHash(row.record) } : null));
    const settled: (RecordOutcome | null)[] = rows.map(() => null);
    const taken: (ConflictItem | null)[] = rows.map(() => null);
    const changed = rows.map(() => false);
    const overwrite = rows.map(() => false);
    if (!delta) return { settled, hashes, taken, changed, overwrite };
    // `all` (default): a record unchanged at the source is compared too, so an edit made only in the target is found.
    const targetEdits = delta.targetEdits ?? 'all';
    const kept = await store.read(ref, scope, hashes.flatMap((h) => (h ? [h.key] : [])), {
      object: deps.object, sourceConnectionId: job.source_connection_id, targetConnectionId: job.target_connection_id,
    });
    const toCompare: number[] = [];
    rows.forEach((row, i) => {
      const h = hashes[i];
      const state = h ? kept.get(sourceKeyString(h.key)) : undefined;
      if (row.t !== 'record' || !state || !h) return;
      changed[i] = state.sourceHash !== null && state.sourceHash !== h.hash;
      const unchanged = state.sourceHash === h.hash;
      // Unchanged unless the comparison below finds the target edited.
      if (unchanged) settled[i] = { ...base(row, state.targetObject, state.targetId), status: 'succeeded', action: 'unchanged', note: 'unchanged at the source since the previous pass' };
      const comparable = state.imageHashes !== null && runtime.readImage !== undefined && mapped[i]?.status === 'ok';
      if (comparable && (!unchanged || targetEdits === 'all')) toCompare.push(i);
    });
    await mapWithConcurrency(toCompare, deps.readConcurrency, async (i) => {
      const row = rows[i] as SourceRow & { t: 'record' };
      const h = hashes[i] as { key: SourceKey };
      const state = kept.get(sourceKeyString(h.key));
      const write = (mapped[i] as MapOutcome<unknown> & { status: 'ok' }).write;
      if (!state?.imageHashes) return;
      const target = { object: state.targetObject, id: state.targetId };
      const now = await runtime.readImage!(write, target, { signal });
      const edited = now === null ? [] : editedFields(state.imageHashes, now);
      if (now !== null && edited.length === 0) {
        // Not edited since Freight wrote it: a write replaces what Freight wrote (values removed at the
        // source go) — of a record Freight created; one the workspace held before keeps merging, so
        // values the customer had there before the migration are never removed.
        overwrite[i] = settled[i] === null && state.createdByFreight === true;
        return;
      }
      const item: ConflictItem = {
        object: deps.object, sourceId: runtime.recordId(row.record), targetObject: state.targetObject, targetId: state.targetId,
        // The fields edited in the target, as the target has them now.
        targetValues: now === null ? null : Object.fromEntries(edited.map((f) => [f, (now as Record<string, unknown>)[f] ?? []])), sourceValues: runtime.writeValues ? runtime.writeValues(write) : write,
        resolution: delta.onConflict === 'take-source' && now !== null ? 'took_source' : 'kept_target',
      };
      if (item.resolution === 'took_source') {
        // Written over, unchanged at the source or not: the pass converges to the source.
        settled[i] = null;
        taken[i] = item;
        overwrite[i] = state.createdByFreight === true;
        return;
      }
      settled[i] = {
        ...base(row, state.targetObject, state.targetId), status: 'succeeded', action: DELTA_ACTIONS.conflictKept,
        note: now === null ? 'deleted in the target since Freight wrote it; not recreated (conflict)' : 'edited in the target since Freight wrote it; the target kept (conflict)',
      };
      await store.conflicts(ref, [item]);
    });
    return { settled, hashes, taken, changed, overwrite };
  }

  /** Changed at the source, and the write left the target as it was: not settled, kept pending. */
  const notUpdated = (chunk: DeltaChunk, a: WriteAttempt | undefined, i: number) => chunk.changed[i] === true && a !== undefined && a.done && a.outcome.status === 'succeeded' && a.outcome.action === 'unchanged';

  /** After the chunk's outcomes are logged: hashes of what succeeded, and the conflicts written over. */
  async function commit(chunk: DeltaChunk, attempts: readonly ((WriteAttempt & { image?: unknown }) | undefined)[]): Promise<void> {
    const updates: HashUpdate[] = [];
    const taken: ConflictItem[] = [];
    attempts.forEach((a, i) => {
      const h = chunk.hashes[i];
      // A record the target could not update keeps its old hash: every later delta lists it again.
      if (!h || !a || chunk.settled[i] || !a.done || a.outcome.status !== 'succeeded' || notUpdated(chunk, a, i)) return;
      updates.push({ key: h.key, object: deps.object, sourceHash: h.hash, imageHashes: a.image === undefined ? null : imageHashes(a.image) });
      const t = chunk.taken[i];
      if (t) taken.push(t);
    });
    await store.remember(ref, scope, updates);
    await store.conflicts(ref, taken);
  }

  /** The attempts as logged: settled rows' outcomes, and conflicts written over marked as such. */
  function outcomes(chunk: DeltaChunk, attempts: readonly (WriteAttempt | undefined)[]): (WriteAttempt | undefined)[] {
    return attempts.map((a, i) => {
      if (a === undefined) return a;
      const settled = chunk.settled[i];
      if (settled) return { done: true, outcome: settled };
      if (notUpdated(chunk, a, i) && a.done) return { ...a, outcome: { ...a.outcome, action: 'not_updated', note: NOT_UPDATABLE } };
      if (chunk.taken[i] && a.done && a.outcome.status === 'succeeded') {
        return { ...a, outcome: { ...a.outcome, action: DELTA_ACTIONS.conflictTaken, note: 'edited in the target since Freight wrote it; the source written over it (conflict)' } };
      }
      return a;
    });
  }

  return { plan, commit, outcomes };
}

export type DeltaPass = NonNullable<ReturnType<typeof createDeltaPass>>;
