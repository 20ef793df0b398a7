/**
 * Where a new run of a closed job starts, computed from what PostgreSQL holds (pure: no I/O).
 *
 * A job's workflow keeps its cursors in its own state, but every extracted page is also a row of
 * `job_batches` with the cursor it was read at and the next one, and every record's latest outcome is
 * in `job_records`. So a closed workflow's position can be rebuilt exactly: the new run starts with
 * this as its carried state (as after a continue-as-new), which keeps the workflow deterministic and
 * its input small (ids and cursors only).
 */
import type { CarriedState, LoadMode, RetryRequest, Totals } from '../../workflows/migration-job/definitions.ts';

export interface PlanBatch {
  id: string;
  object: string;
  seq: number;
  status: string;
  record_count: number;
  next_cursor: string | null;
}

type Retry = CarriedState['retries'][number];

/** Batches whose load finished: their records have final outcomes (record-level failures are left to retries). */
const LOADED = new Set(['succeeded', 'completed_with_errors']);

function byKindThenSeq(objects: readonly string[]) {
  return (a: PlanBatch, b: PlanBatch): number => objects.indexOf(a.object) - objects.indexOf(b.object) || a.seq - b.seq;
}

/**
 * Resume of a job that failed: kinds read to the end stay read; the first kind not read to the end
 * continues from the next cursor of its last page; every extracted batch whose load did not finish is
 * loaded again in `unfinished` mode (records already succeeded or skipped are not sent again).
 */
export function planResume(objects: readonly string[], batches: readonly PlanBatch[], totals: Omit<Totals, 'retriesRequested'>, startedAtMs: number): CarriedState {
  const sorted = [...batches].filter((b) => objects.includes(b.object)).sort(byKindThenSeq(objects));
  const lastOf = (kind: string): PlanBatch | undefined => sorted.filter((b) => b.object === kind).at(-1);
  let kindIndex = objects.findIndex((kind) => {
    const last = lastOf(kind);
    return last === undefined || last.next_cursor !== null;
  });
  if (kindIndex < 0) kindIndex = objects.length;
  const kind = objects[kindIndex];
  const last = kind === undefined ? undefined : lastOf(kind);
  const retries: Retry[] = sorted
    .filter((b) => !LOADED.has(b.status) && b.record_count > 0)
    .map((b) => ({ batchId: b.id, mode: 'unfinished' as LoadMode, ...(b.status === 'failed' ? { wasFailed: true } : {}) }));
  return {
    kindIndex,
    cursor: last?.next_cursor ?? null,
    seq: last ? last.seq + 1 : 0,
    exhausted: kind === undefined,
    ready: [],
    retries,
    paused: false,
    referencesPassDone: false,
    totals: { ...totals, retriesRequested: 0 },
    // The new run counts itself (initialState adds one).
    runs: 0,
    startedAtMs,
  };
}

/**
 * Reopen of a closed job for a retry: every kind is read; only the retry's batches run, exactly as the
 * open workflow would have queued them (failed records only, or failed batches whole), then the
 * references pass and the usual finish.
 */
export function planReopen(
  objects: readonly string[], request: RetryRequest, targets: readonly PlanBatch[], totals: Omit<Totals, 'retriesRequested'>, startedAtMs: number,
): CarriedState {
  const retries: Retry[] = [...targets].sort(byKindThenSeq(objects)).map((b) => {
    if (request.scope === 'failed-records') return { batchId: b.id, mode: 'failed-only' };
    return { batchId: b.id, mode: 'all', ...(b.status === 'failed' ? { wasFailed: true } : {}) };
  });
  return {
    kindIndex: objects.length, cursor: null, seq: 0, exhausted: true, ready: [], retries, paused: false, referencesPassDone: false,
    totals: { ...totals, retriesRequested: retries.length }, runs: 0, startedAtMs,
  };
}
