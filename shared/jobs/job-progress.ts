import type { JobStatus } from '../../workflows/migration-job/definitions.ts';
import type { JobCallPlan } from './call-plan.ts';
import { estimateNote, shownPercent, type EstimateBasis } from './estimate.ts';

export const RECORD_STATUSES = ['succeeded', 'failed', 'retrying', 'skipped'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];
export const BATCH_STATUSES = ['pending', 'running', 'succeeded', 'completed_with_errors', 'failed', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export type RecordCounts = Record<string, Record<RecordStatus, number>>;
export type BatchCounts = Record<BatchStatus, number>;

export interface JobProgress {
  /** Records with a final outcome (succeeded, failed or skipped). */
  processed: number;
  estimatedTotal: number | null;
  /** processed / estimatedTotal × 100, capped at 100, never below the percent shown before; null while the total is unknown. */
  percent: number | null;
  elapsedSeconds: number | null;
  recordsPerMinute: number | null;
  /** Remaining records at the current rate; null when unknown or the job is finished. */
  etaSeconds: number | null;
}

/** The job detail's progress: the numbers and what the estimate rests on. */
export interface JobProgressDetail extends JobProgress {
  /** What the estimate rests on; null while there is none. */
  estimateBasis: EstimateBasis | null;
  /** Why the estimate is what it is, or why there is none. */
  estimateNote: string;
}

/** Record-log rows grouped by (object, status) → counts per object, every status present. */
export function recordCounts(rows: readonly { object: string; status: string; count: number }[]): RecordCounts {
  const out: RecordCounts = {};
  for (const r of rows) {
    const entry = (out[r.object] ??= { succeeded: 0, failed: 0, retrying: 0, skipped: 0 });
    if ((RECORD_STATUSES as readonly string[]).includes(r.status)) entry[r.status as RecordStatus] += r.count;
  }
  return out;
}

export function batchCounts(rows: readonly { status: string; count: number }[]): BatchCounts {
  const out = Object.fromEntries(BATCH_STATUSES.map((s) => [s, 0])) as BatchCounts;
  for (const r of rows) if (r.status in out) out[r.status as BatchStatus] += r.count;
  return out;
}

/**
 * Progress, throughput and ETA from the record log and the job's timestamps. Throughput runs from
 * `started_at` to `finished_at` (or now, while the job runs).
 */
export function computeProgress(input: {
  counts: RecordCounts;
  estimatedTotal: number | null;
  estimateBasis?: EstimateBasis | null;
  /** The job's call plan, to say why there is no estimate. */
  callPlan?: JobCallPlan | null;
  /** jobs.percent_floor: the percent shown before the estimate last changed. */
  percentFloor?: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  status: JobStatus;
  now: number;
}): JobProgressDetail {
  let processed = 0;
  for (const c of Object.values(input.counts)) processed += c.succeeded + c.failed + c.skipped;
  const total = input.estimatedTotal;
  const percent = shownPercent(processed, total, input.percentFloor ?? 0);
  const estimateBasis = total === null ? null : input.estimateBasis ?? 'call_plan';
  const estimate = { estimatedTotal: total, estimateBasis, estimateNote: estimateNote(estimateBasis, total !== null, input.callPlan ?? null) };
  if (!input.startedAt) return { processed, ...estimate, percent, elapsedSeconds: null, recordsPerMinute: null, etaSeconds: null };
  const end = input.finishedAt?.getTime() ?? input.now;
  const elapsedMs = Math.max(0, end - input.startedAt.getTime());
  const perMinute = elapsedMs > 0 ? (processed / elapsedMs) * 60_000 : null;
  const running = input.finishedAt === null && ['pending', 'running', 'paused'].includes(input.status);
  const remaining = total !== null ? Math.max(0, total - processed) : null;
  const etaSeconds = running && remaining !== null && perMinute ? Math.round((remaining / perMinute) * 60) : null;
  return {
    processed,
    ...estimate,
    percent,
    elapsedSeconds: Math.round(elapsedMs / 1000),
    recordsPerMinute: perMinute === null ? null : Math.round(perMinute),
    etaSeconds,
  };
}
