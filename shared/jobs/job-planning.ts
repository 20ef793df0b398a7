import type { ConnectionCheckResult, ConnectionChecker } from '../connections/connection-check.ts';
import type { Sql } from '../db/client.ts';
import { withTenant } from '../db/scope.ts';
import { AppError } from '../errors.ts';
import type { PairData } from '../pairs/index.ts';
import type { JobCallPlan, JobCallPlanner } from './call-plan.ts';
import type { JobRequest } from './job-request.ts';
import { activeJobsOn, computeShare, targetScopeOf } from './plan-share.ts';

/** Both connections' checks for what a job moves (absent when the API checks nothing). */
export interface PlanChecks {
  source: ConnectionCheckResult;
  target: ConnectionCheckResult;
}

/**
 * What POST /v1/plans answers: the plan a job of this request would be created with (the same
 * `callPlan`, made by the same code), its counts, its ETA and what is worth knowing before starting it.
 */
export interface JobPlan {
  pairId: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  objects: string[];
  /** Records per object kind, counted on the source. */
  counts: Record<string, number>;
  /** null when the pair makes no plan. */
  callPlan: JobCallPlan | null;
  /** The ETA with the other jobs sharing the target's budget; null without one. */
  etaSeconds: number | null;
  /** The ETA of the job alone. */
  aloneEtaSeconds: number | null;
  checks: { source: CheckSummary; target: CheckSummary } | null;
  warnings: string[];
  plannedAt: string;
}

interface CheckSummary { ok: boolean; failed: string[]; workspace: string | null }

const seconds = (ms: number | undefined): number | null => (ms === undefined ? null : Math.ceil(ms / 1000));

/**
 * The one planner of a job, used by job creation and by POST /v1/plans: checks both connections,
 * makes the pair's call plan, and shares the target's budget with the jobs already aimed at it.
 */
export function createJobPlanning(o: { sql: Sql; planCalls?: JobCallPlanner | undefined; checkConnection?: ConnectionChecker | undefined }) {
  async function check(tenantId: string, request: JobRequest): Promise<PlanChecks | undefined> {
    const run = o.checkConnection;
    if (!run) return undefined;
    const [source, target] = await Promise.all([
      run({ tenantId, connectionId: request.sourceConnectionId, objects: request.objects }),
      run({ tenantId, connectionId: request.targetConnectionId, objects: request.objects }),
    ]);
    return { source, target };
  }

  async function plan(tenantId: string, request: JobRequest, pair: PairData, checks: PlanChecks | undefined): Promise<JobCallPlan | undefined> {
    if (!o.planCalls) return undefined;
    const callPlan = await o.planCalls({ tenantId, pairId: pair.id, sourceConnectionId: request.sourceConnectionId, objects: request.objects });
    if (!callPlan || callPlan.error !== null) return callPlan;
    const workspace = targetScopeOf(pair.target, request.targetConnectionId, checks?.target.identity?.account.id);
    const others = await withTenant(o.sql, tenantId, (tx) => activeJobsOn(tx, { workspace, targetConnectionId: request.targetConnectionId }));
    const share = computeShare(callPlan, workspace, others);
    return share ? { ...callPlan, share } : callPlan;
  }

  return { check, plan };
}

export type JobPlanning = ReturnType<typeof createJobPlanning>;

/** Failed checks refuse a job at creation (422 connection_check_failed, the failed checks in the details). */
export function refuseFailedChecks(checks: PlanChecks | undefined): void {
  if (!checks) return;
  const failed = (['source', 'target'] as const).map((role) => [role, checks[role]] as const).filter(([, r]) => r.failed.length > 0);
  if (failed.length === 0) return;
  const summary = failed.map(([role, r]) => `${role} ${r.failed.join(', ')}`).join('; ');
  throw new AppError('connection_check_failed', 422, `The job's connections fail their checks (${summary}); POST /v1/connections/{id}/test says what to do`, {
    details: Object.fromEntries(failed.map(([role, r]) => [role, { connectionId: r.connectionId, type: r.type, failed: r.failed, checks: r.checks.filter((c) => c.status === 'fail') }])),
  });
}

/** A plan that does not fit the source's monthly quota refuses the job unless told to go ahead (422 quota_insufficient). */
export function refuseOverQuota(callPlan: JobCallPlan | undefined, request: JobRequest): void {
  if (callPlan?.fits !== false || request.proceedOverQuota) return;
  throw new AppError('quota_insufficient', 422,
    `${callPlan.warning ?? 'the job does not fit the source API quota left this month'}. Set proceedOverQuota: true to create it anyway.`,
    { details: { callPlan } });
}

/** What a caller should know before starting the job: refused checks, quota, a plan not made, budget shared. */
export function planWarnings(callPlan: JobCallPlan | undefined, checks: PlanChecks | undefined): string[] {
  const out: string[] = [];
  for (const role of ['source', 'target'] as const) {
    for (const c of checks?.[role].checks ?? []) {
      if (c.status === 'fail') out.push(`${role} connection: ${c.message}${c.action ? ` — ${c.action}` : ''} (a job would be refused)`);
      else if (c.status === 'warn' || c.status === 'error') out.push(`${role} connection: ${c.message}`);
    }
  }
  if (callPlan?.error) out.push(`the plan could not be made: ${callPlan.error}`);
  if (callPlan?.warning) out.push(callPlan.fits === false ? `${callPlan.warning} (a job would be refused unless proceedOverQuota is true)` : callPlan.warning);
  const share = callPlan?.share;
  if (share && share.others.length > 0) {
    out.push(`${share.others.length} other job(s) aim at the same target workspace and share its write budget: about ${seconds(share.sharedMs)} s instead of ${seconds(share.aloneMs)} s alone`);
  }
  return out;
}

/** The answer of POST /v1/plans. */
export function jobPlanOf(request: JobRequest, pair: PairData, callPlan: JobCallPlan | undefined, checks: PlanChecks | undefined, now: number): JobPlan {
  const summary = (r: ConnectionCheckResult): CheckSummary => ({ ok: r.ok, failed: r.failed, workspace: r.identity?.account.id ?? null });
  const counts = callPlan && callPlan.error === null ? (callPlan.byObject ?? callPlan.records) : {};
  return {
    pairId: pair.id, sourceConnectionId: request.sourceConnectionId, targetConnectionId: request.targetConnectionId, objects: request.objects,
    counts, callPlan: callPlan ?? null,
    etaSeconds: seconds(callPlan?.share?.sharedMs ?? callPlan?.eta?.totalMs), aloneEtaSeconds: seconds(callPlan?.eta?.totalMs),
    checks: checks ? { source: summary(checks.source), target: summary(checks.target) } : null,
    warnings: planWarnings(callPlan, checks),
    plannedAt: callPlan?.plannedAt ?? new Date(now).toISOString(),
  };
}
