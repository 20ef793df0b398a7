import type { JobCallPlan } from './call-plan.ts';

/** What a job's estimated total rests on: the call plan's counts (refined kind by kind), or every kind read to its end. */
export type EstimateBasis = 'call_plan' | 'extracted';

/** What extraction has recorded of one object kind so far (its batches). */
export interface ExtractedKind {
  object: string;
  /** Rows staged by its batches (records and skipped ones: both end in the record log). */
  records: number;
  /** Its last page was read (a batch with no next cursor). */
  exhausted: boolean;
}

export interface Estimate {
  total: number | null;
  basis: EstimateBasis | null;
}

/**
 * The plan's count per object kind of the job (the record log's `object`), when the plan has one:
 * `byObject` (keyed by the job's kinds), else `records` when its keys are the job's kinds. null when
 * the plan could not be made or does not count every kind of the job.
 */
export function plannedByObject(plan: JobCallPlan | null | undefined, objects: readonly string[]): Record<string, number> | null {
  if (!plan || plan.error !== null) return null;
  const counts = plan.byObject ?? plan.records;
  return objects.every((o) => typeof counts[o] === 'number') ? counts : null;
}

/**
 * A job's estimated total from what is known now. An exhausted kind counts what was read of it
 * (exact); a kind still being read counts the plan's number, or what was read when that is more
 * (the plan counted too few: the total never falls below what is already known). A kind with no
 * planned count is unknown until exhausted, so a job whose pair makes no plan has a total once every
 * kind is read, and none before. `fallbackTotal` is a plan total without per-kind counts (a job
 * created before plans had them): kept while any kind is unread, never below what was read.
 */
export function refineEstimate(input: {
  objects: readonly string[];
  planned: Record<string, number> | null;
  fallbackTotal: number | null;
  extracted: readonly ExtractedKind[];
}): Estimate {
  const byKind = new Map(input.extracted.map((e) => [e.object, e]));
  const read = input.objects.reduce((n, o) => n + (byKind.get(o)?.records ?? 0), 0);
  if (input.objects.length > 0 && input.objects.every((o) => byKind.get(o)?.exhausted)) return { total: read, basis: 'extracted' };
  if (input.planned) {
    let total = 0;
    for (const o of input.objects) {
      const e = byKind.get(o);
      total += e?.exhausted ? e.records : Math.max(input.planned[o] ?? 0, e?.records ?? 0);
    }
    return { total, basis: 'call_plan' };
  }
  if (input.fallbackTotal !== null) return { total: Math.max(input.fallbackTotal, read), basis: 'call_plan' };
  return { total: null, basis: null };
}

/** processed ÷ total × 100 with one decimal, never above 100; null while the total is unknown. */
export function percentOf(processed: number, total: number | null): number | null {
  return total && total > 0 ? Math.min(100, Math.round((processed / total) * 1000) / 10) : null;
}

/**
 * The percent to show: never below `floor`, the percent shown before the estimate last changed
 * (a total that grows would otherwise pull it back).
 */
export function shownPercent(processed: number, total: number | null, floor: number): number | null {
  const percent = percentOf(processed, total);
  return percent === null ? null : Math.max(percent, Math.min(100, floor));
}

/** Why the estimate is what it is (or is missing), in a sentence for the job detail. */
export function estimateNote(basis: EstimateBasis | null, hasTotal: boolean, plan: JobCallPlan | null): string {
  if (hasTotal && basis === 'extracted') return 'Every object kind has been read: the total is exact.';
  if (hasTotal) return 'From the call plan\'s counts at creation, replaced by the count read as each object kind is exhausted.';
  const why = !plan ? 'This connector pair makes no call plan' : `The call plan could not count the records (${plan.error ?? 'no count per object'})`;
  return `${why}: the total is known once every object kind has been read; until then there is no percent or ETA.`;
}
