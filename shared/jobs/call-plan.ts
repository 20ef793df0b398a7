/**
 * A job's source-API call plan, computed before the job starts: calls by endpoint for the
 * account's counts, against the monthly quota left. Kept with the job (jobs.options.callPlan) and
 * shown on creation and in the job detail. The source connector computes it; this is its shape.
 */
export interface JobCallPlan {
  system: string;
  /** Records the job would read, by object. */
  records: Record<string, number>;
  /**
   * The same records by the job's object kinds (the record log's `object`), when the source's own
   * grouping in `records` differs: what the job's estimated total is refined against, kind by kind.
   */
  byObject?: Record<string, number>;
  lines: Array<{ endpoint: string; calls: number; basis: string }>;
  /** Calls the job would spend. */
  total: number;
  /** Calls already spent counting the account for this plan. */
  countingCalls: number;
  callsPerRecord: number | null;
  /** null = unlimited or not reported by the API. */
  monthlyRemaining: number | null;
  monthlyLimit: number | null;
  monthlyResetSec: number | null;
  /** null when the plan could not be made (`error` says why). */
  fits: boolean | null;
  warning: string | null;
  assumptions: string[];
  error: string | null;
  plannedAt: string;
  /** Target-API calls and time per phase under the real limits (pairs whose target caps set the pace). */
  eta?: JobPlanEta;
  /** The target's budget shared with the other jobs aimed at the same workspace (plan-share.ts). */
  share?: PlanShare;
}

/**
 * The target's limits are the workspace's, shared by every job writing to it (the rate buckets of
 * migration 0060): what the other active jobs aimed at the same workspace do to this job's ETA.
 */
export interface PlanShare {
  /** What the target's budget is counted in: `<type>:workspace:<id>` from the connection check, else `<type>:connection:<id>`. */
  workspace: string;
  /** Active (pending, running) jobs of the tenant aimed at the same workspace. */
  others: Array<{ jobId: string; status: string; remainingRecords: number | null; remainingWrites: number }>;
  /** This job's own target writes (or calls): what it needs of the budget. */
  writes: number;
  /** The ETA alone (eta.totalMs) and with the others sharing the budget. */
  aloneMs: number;
  sharedMs: number;
  model: string;
}

/**
 * What a pair whose target has hard caps (Tallyfy's 120 comments/hour) plans besides its source
 * calls: the target's calls by endpoint and each phase's time, bound by the slowest limit it meets.
 */
export interface JobPlanEta {
  phases: Array<{ phase: string; objects: string[]; sourceCalls: number; targetCalls: number; boundBy: string; ms: number }>;
  totalMs: number;
  targetLines: Array<{ endpoint: string; calls: number; basis: string }>;
  targetTotal: number;
  /** Of targetTotal, the writes: what competes for a target's shared write budget (plan-share.ts). */
  targetWrites?: number;
  /** The limits the times were computed under, by name (the documented ones unless configured). */
  limits: Record<string, number>;
}

/**
 * Computes the plan of a job about to be created (its pair, tenant-scoped connection, objects it
 * moves); undefined when the job's pair makes no plan.
 */
export type JobCallPlanner = (input: { tenantId: string; pairId: string; sourceConnectionId: string; objects: readonly string[] }) => Promise<JobCallPlan | undefined>;

/**
 * The job's estimated total (`jobs.estimated_total`, the denominator of `progress.percent` and the
 * ETA) from its call plan: the records it will read, by object. The plan counts what the record log
 * will hold — opportunities once as records and once as entries of their opportunity lists (in
 * `listEntries`, which spans every list) — so the sum is what `progress.processed` reaches on a
 * clean run. null when the plan could not be made or counted nothing.
 */
export function estimatedTotalOf(plan: JobCallPlan | undefined): number | null {
  if (!plan || plan.error !== null) return null;
  const total = Object.values(plan.records).reduce((n, r) => n + r, 0);
  return total > 0 ? total : null;
}
