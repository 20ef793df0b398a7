import type { AffinityClient } from './affinity-client.ts';

export interface AffinityCallEstimateInput {
  /** Known or estimated record counts per kind. */
  counts: { organizations: number; persons: number; opportunities: number; notes: number; listEntries: number; lists: number };
  pageSize?: number;
  /** One `/field-values` call per entity and list entry (the v1 read path). */
  withFieldValues?: boolean;
}

export interface AffinityCallEstimate {
  pages: number;
  fieldValueCalls: number;
  schemaCalls: number;
  total: number;
}

/** Calls a full read of an account costs on the v1 path (what the monthly quota is charged). */
export function estimateAffinityCalls(input: AffinityCallEstimateInput): AffinityCallEstimate {
  const size = input.pageSize ?? 500;
  const { counts } = input;
  const pagesOf = (n: number) => Math.max(1, Math.ceil(n / size));
  // List entries are paged per list; every list costs at least one (possibly empty) page.
  const pages = pagesOf(counts.organizations) + pagesOf(counts.persons) + pagesOf(counts.opportunities) + pagesOf(counts.notes)
    + Math.max(counts.lists, Math.ceil(counts.listEntries / size) + counts.lists);
  const fieldValueCalls = input.withFieldValues === false ? 0 : counts.organizations + counts.persons + counts.opportunities + counts.listEntries;
  const schemaCalls = 4;
  return { pages, fieldValueCalls, schemaCalls, total: pages + fieldValueCalls + schemaCalls };
}

export interface QuotaCheck {
  estimate: AffinityCallEstimate;
  /** null = unlimited (Enterprise) or not reported. */
  monthlyRemaining: number | null;
  monthlyResetSec: number | null;
  fits: boolean;
  warning: string | null;
}

/**
 * Compares a job's estimated calls with the monthly quota left (`GET /rate-limit`, which itself is
 * free). The planner warns instead of refusing: the estimate is an upper bound when counts are.
 */
export async function checkAffinityQuota(client: AffinityClient, input: AffinityCallEstimateInput, signal?: AbortSignal): Promise<QuotaCheck> {
  const estimate = estimateAffinityCalls(input);
  const report = await client.rateLimit(signal);
  const remaining = report.orgMonthly.remaining;
  const fits = remaining === null || estimate.total <= remaining;
  return {
    estimate,
    monthlyRemaining: remaining,
    monthlyResetSec: report.orgMonthly.reset,
    fits,
    warning: fits
      ? null
      : `this job needs about ${estimate.total} Affinity calls but only ${remaining} remain in the monthly quota (resets in ${Math.round((report.orgMonthly.reset ?? 0) / 86_400)} days); reads will stop with quota_exceeded`,
  };
}
