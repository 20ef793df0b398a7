import type { ErrorKind } from '../../shared/error-kinds.ts';

export type RecordStatus = 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed';

/** One line of the script's record log (the Temporal version keeps these in Postgres). */
export interface RecordLogLine {
  run: number;
  kind: string;
  sourceId: string;
  status: RecordStatus;
  targetId?: string;
  errorKind?: ErrorKind;
  message?: string;
  notes?: string[];
  warnings?: string[];
  attempts: number;
}

export interface KindSummary {
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  withWarnings: number;
  retries: number;
  byErrorKind: Record<string, number>;
  seconds: number;
}

export function emptySummary(): KindSummary {
  return { read: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, withWarnings: 0, retries: 0, byErrorKind: {}, seconds: 0 };
}

export function addToSummary(summary: KindSummary, line: RecordLogLine): void {
  summary[line.status] += 1;
  if (line.warnings && line.warnings.length > 0) summary.withWarnings += 1;
  summary.retries += Math.max(0, line.attempts - 1);
  if (line.errorKind) summary.byErrorKind[line.errorKind] = (summary.byErrorKind[line.errorKind] ?? 0) + 1;
}
