/** Pure bookkeeping of a migration job run: what is queued, in flight and done. No I/O. */
import type { CarriedState, LoadMode, MigrationJobInput, Totals } from './definitions.ts';

export interface LoadTask {
  batchId: string;
  mode: LoadMode;
  /** A retry of a batch that had failed: its success takes it off `batchesFailed`. */
  wasFailed?: boolean;
}

export interface JobState {
  kindIndex: number;
  cursor: string | null;
  seq: number;
  exhausted: boolean;
  extracting: boolean;
  ready: string[];
  retries: LoadTask[];
  inFlight: Set<string>;
  /** In-flight loads per object kind: the next kind waits for these (references). */
  inFlightByKind: Map<string, number>;
  paused: boolean;
  referencesPassDone: boolean;
  cancelRequested: boolean;
  cancelReason: string | undefined;
  fatal: { kind: string; message: string } | undefined;
  totals: Totals;
  runs: number;
  startedAtMs: number;
}

export function emptyTotals(): Totals {
  return { batchesSucceeded: 0, batchesWithErrors: 0, batchesFailed: 0, succeeded: 0, failed: 0, skipped: 0, retriesRequested: 0 };
}

export function initialState(input: MigrationJobInput, nowMs: number): JobState {
  const c = input.carried;
  return {
    kindIndex: c?.kindIndex ?? 0,
    cursor: c?.cursor ?? null,
    seq: c?.seq ?? 0,
    exhausted: c?.exhausted ?? false,
    extracting: false,
    ready: [...(c?.ready ?? [])],
    retries: [...(c?.retries ?? [])],
    inFlight: new Set(),
    inFlightByKind: new Map(),
    paused: c?.paused ?? false,
    referencesPassDone: c?.referencesPassDone ?? false,
    cancelRequested: false,
    cancelReason: undefined,
    fatal: undefined,
    totals: c?.totals ?? emptyTotals(),
    runs: (c?.runs ?? 0) + 1,
    startedAtMs: c?.startedAtMs ?? nowMs,
  };
}

export function carry(s: JobState): CarriedState {
  return {
    kindIndex: s.kindIndex, cursor: s.cursor, seq: s.seq, exhausted: s.exhausted, ready: s.ready,
    retries: s.retries, paused: s.paused, referencesPassDone: s.referencesPassDone, totals: s.totals, runs: s.runs, startedAtMs: s.startedAtMs,
  };
}

/** Batch ids are `<object>-<seq>` with a zero-padded sequence, so they sort in read order. */
export function batchIdFor(object: string, seq: number): string {
  return `${object}-${String(seq).padStart(6, '0')}`;
}

export function objectOfBatch(batchId: string): string {
  return batchId.slice(0, batchId.lastIndexOf('-'));
}

export function currentKind(s: JobState, objects: readonly string[]): string | null {
  return objects[s.kindIndex] ?? null;
}

/** Every kind read to the end, nothing queued, nothing running. */
export function allDone(s: JobState, objects: readonly string[]): boolean {
  return s.kindIndex >= objects.length && s.ready.length === 0 && s.retries.length === 0 && s.inFlight.size === 0 && !s.extracting;
}

/**
 * Moves extraction to the next kind once this one is read to the end. With `overlap`, at once: the
 * next kind's first pages are read while this kind's last batches load (`mayLoad` keeps the loads in
 * order); without it (runs recorded before the overlap existed), only once none of its batches is
 * queued or running.
 */
export function maybeAdvanceKind(s: JobState, objects: readonly string[], overlap = false): boolean {
  const kind = currentKind(s, objects);
  if (kind === null || !s.exhausted || s.extracting) return false;
  if (!overlap && (s.ready.length > 0 || (s.inFlightByKind.get(kind) ?? 0) > 0)) return false;
  s.kindIndex += 1;
  s.cursor = null;
  s.seq = 0;
  s.exhausted = objects[s.kindIndex] === undefined;
  return true;
}

/**
 * Whether a ready batch may start loading: no load of an earlier kind is still running, so what it
 * references is written first (ready batches are in kind order, so earlier kinds never wait behind it).
 */
export function mayLoad(s: JobState, objects: readonly string[], batchId: string): boolean {
  const index = objects.indexOf(objectOfBatch(batchId));
  for (const [kind, running] of s.inFlightByKind) if (running > 0 && objects.indexOf(kind) < index) return false;
  return true;
}

/**
 * The queued retry that may start next, or -1: one of the earliest kind among the queued retries, and
 * only once no load of an earlier kind runs. A failed-records retry queues every kind at once; a
 * note retried beside the person it mentions would otherwise be written before that person exists,
 * and a note (created once, never updated) keeps the words "not migrated" for good.
 */
export function nextRetryIndex(s: JobState, objects: readonly string[]): number {
  const rank = (batchId: string): number => objects.indexOf(objectOfBatch(batchId));
  const earliest = Math.min(...s.retries.map((r) => rank(r.batchId)));
  return s.retries.findIndex((r) => rank(r.batchId) === earliest && mayLoad(s, objects, r.batchId));
}

/** Queues a retry unless the batch is already queued or running; returns whether it was queued. */
export function queueRetry(s: JobState, task: LoadTask): boolean {
  if (s.inFlight.has(task.batchId) || s.retries.some((r) => r.batchId === task.batchId)) return false;
  s.retries.push(task);
  s.totals.retriesRequested += 1;
  return true;
}

/**
 * The job's totals as the database counts them (finishJob's answer), with the workflow's own count
 * of retry requests: what a retry counted twice or a failed batch's later success left behind is
 * corrected at every finish. An older activity answer without totals leaves them as they are.
 */
export function settleTotals(s: JobState, counted: Omit<Totals, 'retriesRequested'> | undefined): void {
  if (counted) s.totals = { ...counted, retriesRequested: s.totals.retriesRequested };
}

export function addOutcome(totals: Totals, o: { succeeded: number; failed: number; skipped: number }, task: LoadTask): void {
  const { mode } = task;
  if (task.wasFailed) totals.batchesFailed = Math.max(0, totals.batchesFailed - 1);
  // A references rewrite touches records already counted.
  if (mode === 'unresolved-only') return;
  // A failed-only rerun turns earlier failures into successes: move them between the counters.
  if (mode === 'failed-only') totals.failed = Math.max(0, totals.failed - (o.succeeded + o.skipped + o.failed));
  totals.succeeded += o.succeeded;
  totals.failed += o.failed;
  totals.skipped += o.skipped;
  if (o.failed > 0) totals.batchesWithErrors += 1;
  else totals.batchesSucceeded += 1;
}
