/**
 * The `job_reconciliations` table (migration 0150): one row per reconciliation of a job. A manual
 * run's row is written by the API before it starts the workflow (status pending), an automatic
 * one's by the workflow's first activity; the comparison activity completes it.
 */
import type postgres from 'postgres';
import type { TransactionSql } from '../db/client.ts';
import type { ReconciliationReport, ReconciliationStatus, ReconciliationTrigger } from './reconcile-model.ts';

export interface ReconciliationRun {
  seq: number;
  trigger: ReconciliationTrigger;
  status: ReconciliationStatus;
  workflowId: string;
  differences: number | null;
  totals: ReconciliationReport['totals'] | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface ReconciliationRow {
  seq: number;
  trigger: ReconciliationTrigger;
  status: ReconciliationStatus;
  workflow_id: string;
  idempotency_key: string | null;
  differences: number | null;
  totals: ReconciliationReport['totals'] | null;
  error: string | null;
  json_key: string | null;
  csv_key: string | null;
  created_at: Date;
  finished_at: Date | null;
}

export function toRun(r: ReconciliationRow): ReconciliationRun {
  return {
    seq: r.seq, trigger: r.trigger, status: r.status, workflowId: r.workflow_id, differences: r.differences, totals: r.totals,
    error: r.error, createdAt: r.created_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null,
  };
}

export interface NewReconciliation {
  tenantId: string;
  jobId: string;
  trigger: ReconciliationTrigger;
  workflowId: string;
  status: 'pending' | 'running';
  idempotencyKey?: string | undefined;
  requestedBy?: string | undefined;
}

/**
 * The run of `workflowId`, written once: a repeat (a retried activity, the workflow of a run the API
 * wrote) finds the existing row. The next number is taken under the job's row lock, so two runs
 * started at once do not collide.
 */
export async function openReconciliation(tx: TransactionSql, run: NewReconciliation): Promise<ReconciliationRow> {
  await tx`select 1 from freight.jobs where id = ${run.jobId} for update`;
  const [existing] = await tx<ReconciliationRow[]>`select * from freight.job_reconciliations where workflow_id = ${run.workflowId}`;
  if (existing) return existing;
  const [row] = await tx<ReconciliationRow[]>`
    insert into freight.job_reconciliations (tenant_id, job_id, seq, trigger, workflow_id, status, idempotency_key, requested_by)
    select ${run.tenantId}, ${run.jobId}, coalesce(max(seq), 0) + 1, ${run.trigger}, ${run.workflowId}, ${run.status},
      ${run.idempotencyKey ?? null}, ${run.requestedBy ?? null}
    from freight.job_reconciliations where job_id = ${run.jobId}
    returning *`;
  return row as ReconciliationRow;
}

export async function setReconciliationStatus(tx: TransactionSql, jobId: string, seq: number, status: ReconciliationStatus, error?: string): Promise<void> {
  const finished = status === 'completed' || status === 'failed' || status === 'not_supported';
  await tx`
    update freight.job_reconciliations set status = ${status}, error = ${error ?? null}, finished_at = ${finished ? tx`now()` : null}
    where job_id = ${jobId} and seq = ${seq}`;
}

export async function completeReconciliation(tx: TransactionSql, o: {
  jobId: string; seq: number; totals: ReconciliationReport['totals']; jsonKey: string; csvKey: string;
}): Promise<void> {
  await tx`
    update freight.job_reconciliations set status = 'completed', error = null, differences = ${o.totals.differences},
      totals = ${tx.json(o.totals as unknown as postgres.JSONValue)}, json_key = ${o.jsonKey}, csv_key = ${o.csvKey}, finished_at = now()
    where job_id = ${o.jobId} and seq = ${o.seq}`;
}

/** Newest first. */
export async function listReconciliations(tx: TransactionSql, jobId: string): Promise<ReconciliationRow[]> {
  return tx<ReconciliationRow[]>`select * from freight.job_reconciliations where job_id = ${jobId} order by seq desc`;
}
