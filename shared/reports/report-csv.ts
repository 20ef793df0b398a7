import type { JobReport } from './report-model.ts';

export const REPORT_CSV_COLUMNS = ['section', 'key', 'metric', 'value', 'message'] as const;
export type ReportCsvRow = Record<(typeof REPORT_CSV_COLUMNS)[number], string | number | null>;

const row = (section: string, key: string, metric: string, value: string | number | null, message: string | null = null): ReportCsvRow =>
  ({ section, key, metric, value, message });

/**
 * The report as long-format rows (section, key, metric, value, message): one table that any
 * spreadsheet can pivot, whatever the number of objects, kinds or batches.
 */
export function* reportCsvRows(r: JobReport): Generator<ReportCsvRow> {
  yield row('summary', 'job', 'jobId', r.jobId);
  yield row('summary', 'job', 'status', r.status);
  yield row('summary', 'job', 'createdAt', r.createdAt);
  yield row('summary', 'job', 'startedAt', r.startedAt);
  yield row('summary', 'job', 'finishedAt', r.finishedAt);
  yield row('summary', 'job', 'durationSeconds', r.durationSeconds);
  yield row('summary', 'job', 'recordsPerMinute', r.recordsPerMinute);
  yield row('summary', 'job', 'generatedAt', r.generatedAt);
  for (const [metric, value] of Object.entries(r.totals)) yield row('totals', 'all', metric, value);
  for (const [object, counts] of Object.entries(r.counts)) {
    for (const [status, value] of Object.entries(counts)) yield row('object', object, status, value);
  }
  for (const [status, value] of Object.entries(r.batches)) yield row('batches', status, 'count', value);
  for (const [metric, value] of Object.entries(r.retries)) yield row('retries', metric, 'attempts', value);
  for (const [metric, value] of Object.entries(r.referenceRewrites)) yield row('referenceRewrites', metric, 'rewrites', value);
  for (const [object, counts] of Object.entries(r.dryRunDiff?.byObject ?? {})) {
    for (const [cls, value] of Object.entries(counts)) yield row('dry_run_diff', object, cls, value);
  }
  for (const k of r.failures.byKind) {
    yield row('failure_kind', k.kind, 'records', k.records);
    yield row('failure_kind', k.kind, 'batches', k.batches);
  }
  for (const o of r.failures.byObject) {
    yield row('failure_object', o.object, 'records', o.records);
    yield row('failure_object', o.object, 'batches', o.batches);
  }
  for (const b of r.failures.byBatch) {
    yield row('failure_batch', b.batchId, 'failedRecords', b.failedRecords, b.errorMessage);
    if (b.batchFailed) yield row('failure_batch', b.batchId, 'batchFailed', b.errorKind, b.errorMessage);
  }
  for (const m of r.failures.topMessages) yield row('top_message', m.kind, 'count', m.count, m.message);
}
