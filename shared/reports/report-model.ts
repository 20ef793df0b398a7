import { emptyDiffCounts, type DiffClass } from '../jobs/dry-run-diff.ts';
import { batchCounts, recordCounts, type BatchCounts, type RecordCounts } from '../jobs/job-progress.ts';

/** Aggregates read from the job tables (report-reader.ts); everything the report is built from. */
export interface ReportInputs {
  job: { id: string; status: string; objects: string[]; createdAt: Date; startedAt: Date | null; finishedAt: Date | null };
  /** Record log grouped by (object, status), with Σ(attempts − 1). */
  records: { object: string; status: string; count: number; retries: number; rewrites: number }[];
  /** Batches grouped by status, with Σ(attempts − 1). */
  batches: { status: string; count: number; retries: number; rewrites: number }[];
  /** Failed records aggregated by SQL (so a million distinct failures stay a few rows). */
  failedRecords: {
    byKind: { errorKind: string | null; count: number }[];
    byObject: { object: string; count: number }[];
    /** The batches with the most failed records (the reader bounds the list), with one of their errors. */
    byBatch: { batchId: string; object: string; count: number; errorKind: string | null; errorMessage: string | null }[];
    /** The most frequent (kind, message) pairs (bounded by the reader). */
    messages: { errorKind: string | null; errorMessage: string | null; count: number }[];
  };
  /** Succeeded records migrated in a documented degraded form, by object and reason (bounded by the reader). */
  degraded?: { object: string; reason: string; count: number }[];
  /**
   * All succeeded records with a degraded reason. `degraded` is only the most frequent reasons, and a
   * record's reason names its own fields, so their sum undercounts; absent = that sum (older callers).
   */
  degradedTotal?: number;
  /** Dry-run diff: record-log rows per object and class (empty/absent outside a diffed dry run). */
  diff?: { object: string; diffClass: DiffClass; count: number }[];
  /** Batches that failed as a whole (no record outcome), with their error. */
  failedBatches: { batchId: string; object: string; errorKind: string | null; errorMessage: string | null; records: number }[];
}

export interface JobReport {
  jobId: string;
  status: string;
  generatedAt: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** started → finished (or → generatedAt while running); null before the job started. */
  durationSeconds: number | null;
  /** Records with a final outcome per minute of duration; null before the job started. */
  recordsPerMinute: number | null;
  /** `degraded`: succeeded records migrated in a documented degraded form (a part of `succeeded`). */
  totals: { records: number; processed: number; succeeded: number; failed: number; retrying: number; skipped: number; degraded: number; batches: number };
  /** Record-log rows per object and status (the same shape as a job's `counts`). */
  counts: RecordCounts;
  /** Batches per status. */
  batches: BatchCounts;
  /** attempts − 1 summed over records and over batches. */
  retries: { total: number; records: number; batches: number };
  /**
   * References-pass rewrites (records written before what they reference, rewritten once at the
   * end), summed over records and batches: part of a clean job, so not counted in `retries`.
   */
  referenceRewrites: { records: number; batches: number };
  /** Degraded records by object and reason, most first (empty for a pair that never degrades). */
  degraded: { object: string; reason: string; count: number }[];
  /** A diffed dry run: records per class, over the job and per object; null otherwise. */
  dryRunDiff: { counts: Record<DiffClass, number>; byObject: Record<string, Record<DiffClass, number>> } | null;
  failures: {
    /** Failed records and whole failed batches per error kind. */
    byKind: { kind: string; records: number; batches: number }[];
    byObject: { object: string; records: number; batches: number }[];
    /** Batches with failed records or failed themselves, most failures first. */
    byBatch: { batchId: string; object: string; failedRecords: number; batchFailed: boolean; errorKind: string | null; errorMessage: string | null }[];
    /** The most frequent error messages, most frequent first. */
    topMessages: { message: string; kind: string; count: number }[];
  };
}

export const TOP_MESSAGES = 20;
export const MAX_FAILED_BATCHES = 500;
const UNKNOWN_KIND = 'unknown';

function bump<K>(map: Map<K, { records: number; batches: number }>, key: K, field: 'records' | 'batches', n: number): void {
  const entry = map.get(key) ?? { records: 0, batches: 0 };
  entry[field] += n;
  map.set(key, entry);
}

const byTotalDesc = (a: { records: number; batches: number }, b: { records: number; batches: number }): number =>
  b.records + b.batches - (a.records + a.batches);

/** The report of a job from its aggregates (pure: the same inputs and clock give the same report). */
export function buildReport(inputs: ReportInputs, now: Date): JobReport {
  const { job } = inputs;
  const counts = recordCounts(inputs.records);
  const degraded = inputs.degraded ?? [];
  // Degraded records are succeeded ones (counted there too): `degraded` says how many of them.
  const totals = { records: 0, processed: 0, succeeded: 0, failed: 0, retrying: 0, skipped: 0, degraded: inputs.degradedTotal ?? degraded.reduce((n, d) => n + d.count, 0), batches: 0 };
  for (const c of Object.values(counts)) {
    totals.succeeded += c.succeeded;
    totals.failed += c.failed;
    totals.retrying += c.retrying;
    totals.skipped += c.skipped;
  }
  totals.processed = totals.succeeded + totals.failed + totals.skipped;
  totals.records = totals.processed + totals.retrying;
  for (const b of inputs.batches) totals.batches += b.count;

  const end = job.finishedAt ?? now;
  const elapsedMs = job.startedAt ? Math.max(0, end.getTime() - job.startedAt.getTime()) : null;
  const recordsPerMinute = elapsedMs === null ? null : elapsedMs > 0 ? Math.round((totals.processed / elapsedMs) * 60_000 * 10) / 10 : 0;

  const recordRetries = inputs.records.reduce((n, r) => n + r.retries, 0);
  const batchRetries = inputs.batches.reduce((n, b) => n + b.retries, 0);
  const recordRewrites = inputs.records.reduce((n, r) => n + r.rewrites, 0);
  const batchRewrites = inputs.batches.reduce((n, b) => n + b.rewrites, 0);

  const kinds = new Map<string, { records: number; batches: number }>();
  const objects = new Map<string, { records: number; batches: number }>();
  const batches = new Map<string, JobReport['failures']['byBatch'][number]>();
  const messages = new Map<string, { message: string; kind: string; count: number }>();
  const addMessage = (kind: string, message: string | null, n: number): void => {
    if (!message) return;
    const key = `${kind}\u0000${message}`;
    const m = messages.get(key) ?? { message, kind, count: 0 };
    m.count += n;
    messages.set(key, m);
  };
  const fr = inputs.failedRecords;
  for (const f of fr.byKind) bump(kinds, f.errorKind ?? UNKNOWN_KIND, 'records', f.count);
  for (const f of fr.byObject) bump(objects, f.object, 'records', f.count);
  for (const f of fr.byBatch) {
    batches.set(f.batchId, { batchId: f.batchId, object: f.object, failedRecords: f.count, batchFailed: false, errorKind: f.errorKind, errorMessage: f.errorMessage });
  }
  for (const m of fr.messages) addMessage(m.errorKind ?? UNKNOWN_KIND, m.errorMessage, m.count);
  for (const f of inputs.failedBatches) {
    const kind = f.errorKind ?? UNKNOWN_KIND;
    bump(kinds, kind, 'batches', 1);
    bump(objects, f.object, 'batches', 1);
    const b = batches.get(f.batchId) ?? { batchId: f.batchId, object: f.object, failedRecords: 0, batchFailed: false, errorKind: null, errorMessage: null };
    b.batchFailed = true;
    b.errorKind = f.errorKind;
    b.errorMessage = f.errorMessage;
    batches.set(f.batchId, b);
    addMessage(kind, f.errorMessage, 1);
  }

  return {
    jobId: job.id,
    status: job.status,
    generatedAt: now.toISOString(),
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    durationSeconds: elapsedMs === null ? null : Math.round(elapsedMs / 100) / 10,
    recordsPerMinute,
    totals,
    counts,
    batches: batchCounts(inputs.batches),
    retries: { total: recordRetries + batchRetries, records: recordRetries, batches: batchRetries },
    referenceRewrites: { records: recordRewrites, batches: batchRewrites },
    degraded: [...degraded].sort((a, b) => b.count - a.count || a.object.localeCompare(b.object) || a.reason.localeCompare(b.reason)),
    dryRunDiff: diffCounts(inputs.diff ?? []),
    failures: {
      byKind: [...kinds].map(([kind, n]) => ({ kind, ...n })).sort((a, b) => byTotalDesc(a, b) || a.kind.localeCompare(b.kind)),
      byObject: [...objects].map(([object, n]) => ({ object, ...n })).sort((a, b) => byTotalDesc(a, b) || a.object.localeCompare(b.object)),
      byBatch: [...batches.values()]
        .sort((a, b) => Number(b.batchFailed) - Number(a.batchFailed) || b.failedRecords - a.failedRecords || a.batchId.localeCompare(b.batchId))
        .slice(0, MAX_FAILED_BATCHES),
      topMessages: [...messages.values()].sort((a, b) => b.count - a.count || a.message.localeCompare(b.message)).slice(0, TOP_MESSAGES),
    },
  };
}

function diffCounts(rows: readonly { object: string; diffClass: DiffClass; count: number }[]): JobReport['dryRunDiff'] {
  if (rows.length === 0) return null;
  const counts = emptyDiffCounts();
  const byObject: Record<string, Record<DiffClass, number>> = {};
  for (const r of rows) {
    counts[r.diffClass] += r.count;
    (byObject[r.object] ??= emptyDiffCounts())[r.diffClass] += r.count;
  }
  return { counts, byObject };
}
