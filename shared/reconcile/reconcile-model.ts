/**
 * A reconciliation: a finished job's source and target compared through the vendors' documented
 * APIs (issue 16 item 4). Pair-agnostic: a pair's `reconcile` hook (activities/pairs/pair.ts)
 * reports counts and one `Difference` per problem; the engine adds the record log's reasons and
 * stores the report (JSON + CSV) in S3 beside the job's other reports.
 */
import { tenantKey } from '../s3.ts';

export const DIFFERENCE_KINDS = ['missing', 'duplicate', 'mismatch', 'unexpected', 'dangling_reference', 'wrong_link', 'missing_link'] as const;
export type DifferenceKind = (typeof DIFFERENCE_KINDS)[number];

/** One thing the customer has to look at; one CSV row. */
export interface Difference {
  kind: DifferenceKind;
  /** The job's object kind (e.g. `persons`), or the target object of a dangling reference. */
  object: string;
  sourceId: string | null;
  /** Target record(s) involved (a duplicate names each). */
  targetIds: string[];
  /** The target field of a mismatch or link. */
  field: string | null;
  expected: string | null;
  actual: string | null;
  /** Why: for a missing record, the record log's outcome (e.g. `failed: validation: …`); else a short explanation. */
  reason: string | null;
}

export interface ObjectReconciliation {
  /** Source records the mapping says belong in the target. */
  expected: number;
  /** …found exactly once. */
  present: number;
  missing: number;
  /** Skipped by the job on purpose (the record log says why): not a difference. */
  skippedAsLogged: number;
  duplicates: number;
  mismatches: number;
  /** Target rows carrying a source id no source record accounts for. */
  unexpected: number;
  /** Target rows without Freight's markers (the customer's own): counted only. */
  foreign: number;
}

/** What a pair's reconcile hook answers (differences go to its callback, not into this object). */
export interface PairReconciliation {
  objects: Record<string, ObjectReconciliation>;
  references: { checked: number; dangling: number };
  links: Record<string, { checked: number; right: number; wrong: number; missing: number }>;
  /** Requests the comparison sent to each API (they count against the customer's limits). */
  calls: Record<string, number>;
}

export { RECONCILIATION_STATUSES, type ReconciliationStatus, type ReconciliationTrigger } from '../../workflows/reconcile-job/definitions.ts';
import type { ReconciliationTrigger } from '../../workflows/reconcile-job/definitions.ts';

export interface ReconciliationReport extends PairReconciliation {
  jobId: string;
  seq: number;
  trigger: ReconciliationTrigger;
  startedAt: string;
  finishedAt: string;
  /** Differences of every kind, and per kind. */
  totals: { differences: number } & Record<DifferenceKind, number>;
  differences: Difference[];
}

export const RECONCILIATION_CSV_COLUMNS = ['kind', 'object', 'source_id', 'target_ids', 'field', 'expected', 'actual', 'reason'] as const;

export function differenceCsvRow(d: Difference): Record<(typeof RECONCILIATION_CSV_COLUMNS)[number], string> {
  return {
    kind: d.kind, object: d.object, source_id: d.sourceId ?? '', target_ids: d.targetIds.join(' '), field: d.field ?? '',
    expected: d.expected ?? '', actual: d.actual ?? '', reason: d.reason ?? '',
  };
}

export function countDifferences(differences: readonly Difference[]): ReconciliationReport['totals'] {
  const totals = Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, 0])) as Record<DifferenceKind, number>;
  for (const d of differences) totals[d.kind] += 1;
  return { differences: differences.length, ...totals };
}

/** Under the job's `report/` prefix, one pair of files per run. */
export function reconciliationKey(tenantId: string, jobId: string, seq: number, ext: 'json' | 'csv'): string {
  return tenantKey(tenantId, 'jobs', jobId, 'report', `reconciliation-${seq}.${ext}`);
}
