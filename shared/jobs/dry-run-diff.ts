/**
 * The dry-run diff (issue 16 item 3): what a real run would do to each source record, found by
 * reading the target only. Shared by the engine (record log), the reports and the API.
 */
export const DIFF_CLASSES = ['create', 'update', 'unchanged', 'conflict', 'refused', 'skipped'] as const;
export type DiffClass = (typeof DIFF_CLASSES)[number];

/** One attribute an update would change: its values in the target now, and as the run would write them. */
export interface FieldChange {
  attribute: string;
  old: unknown[];
  new: unknown[];
}

/** Counts per class, every class present (0 when none). */
export function emptyDiffCounts(): Record<DiffClass, number> {
  return Object.fromEntries(DIFF_CLASSES.map((c) => [c, 0])) as Record<DiffClass, number>;
}
