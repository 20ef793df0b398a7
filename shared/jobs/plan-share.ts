import type { TransactionSql } from '../db/client.ts';
import type { JobCallPlan, PlanShare } from './call-plan.ts';

/**
 * The target's write budget is the workspace's, not the job's: every job, token and worker process
 * writing to one Attio workspace draws from one rate bucket (migration 0060, freight.take_rate_grant),
 * and the buckets hand out slots first come, first served — in effect an equal share per job that is
 * writing. So a plan made while other jobs aim at the same workspace takes longer than the job alone.
 *
 * Model (processor sharing): this job needs W writes, another active job i has W_i left; while both
 * write each gets half the budget, and so on for more. With every job starting now and paced by the
 * shared budget, this job finishes after (W + Σ_i min(W_i, W)) / rate: each other job delays it by the
 * writes they do side by side, at most its own W. Hence
 *   sharedMs = totalMs + pacedMs × Σ_i min(W_i / W, 1)
 * where pacedMs is the budget-paced part of the ETA (its phases; not the fixed start-up). W_i comes from
 * the other job's remaining records (its estimated total − records processed) × its own plan's writes
 * per record (this plan's ratio when it has none); a job without an estimate counts as min(W_i, W) = W.
 * Only the tenant's own jobs are visible here (RLS): another tenant writing to the same workspace is
 * not counted (one workspace normally belongs to one customer), nor are jobs started after the plan.
 * `pending` and `running` jobs count; a paused one writes nothing until resumed.
 */
export const SHARE_MODEL =
  'processor sharing of the workspace\'s write budget: ETA = alone + paced part × Σ min(other job\'s remaining writes ÷ this job\'s writes, 1) over the pending and running jobs aimed at the same workspace';

interface OtherJob {
  id: string;
  status: string;
  estimated_total: number | null;
  processed: number;
  plan_writes: number | null;
  plan_records: number | null;
}

/** The key of the target's shared budget: its workspace when the connection check named one, else the connection. */
export function targetScopeOf(targetType: string, targetConnectionId: string, workspaceId: string | null | undefined): string {
  return workspaceId ? `${targetType}:workspace:${workspaceId}` : `${targetType}:connection:${targetConnectionId}`;
}

const planRecords = (plan: JobCallPlan): number => Object.values(plan.records).reduce((n, r) => n + r, 0);

/** Pure: the share of a plan given the other active jobs' remaining work. */
export function computeShare(plan: JobCallPlan, workspace: string, others: readonly OtherJob[]): PlanShare | undefined {
  const eta = plan.eta;
  if (!eta) return undefined;
  const writes = eta.targetWrites ?? eta.targetTotal;
  const ratio = planRecords(plan) > 0 ? writes / planRecords(plan) : 1;
  const rows = others.map((o) => {
    const remainingRecords = o.estimated_total === null ? null : Math.max(0, o.estimated_total - o.processed);
    const perRecord = o.plan_writes !== null && o.plan_records ? o.plan_writes / o.plan_records : ratio;
    const remainingWrites = remainingRecords === null ? writes : Math.round(remainingRecords * perRecord);
    return { jobId: o.id, status: o.status, remainingRecords, remainingWrites };
  });
  const pacedMs = eta.phases.reduce((s, p) => s + p.ms, 0);
  const overlap = writes > 0 ? rows.reduce((s, r) => s + Math.min(r.remainingWrites / writes, 1), 0) : 0;
  return { workspace, others: rows, writes, aloneMs: eta.totalMs, sharedMs: Math.round(eta.totalMs + pacedMs * overlap), model: SHARE_MODEL };
}

/** The pending and running jobs of the tenant aimed at this workspace (or this connection), with what they have done. */
export async function activeJobsOn(tx: TransactionSql, o: { workspace: string; targetConnectionId: string }): Promise<OtherJob[]> {
  return tx<OtherJob[]>`
    select j.id, j.status, j.estimated_total,
      coalesce((select sum(c.records) from freight.job_record_counts c
                where c.job_id = j.id and c.status in ('succeeded', 'failed', 'skipped')), 0)::int as processed,
      (j.options->'callPlan'->'eta'->>'targetWrites')::int as plan_writes,
      (select sum(v::int) from jsonb_each_text(coalesce(j.options->'callPlan'->'records', '{}'::jsonb)) as r(k, v))::int as plan_records
    from freight.jobs j
    where j.status in ('pending', 'running')
      and (j.target_connection_id = ${o.targetConnectionId} or j.options->'callPlan'->'share'->>'workspace' = ${o.workspace})
    order by j.created_at`;
}
