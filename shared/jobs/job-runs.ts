/**
 * The `job_runs` table (migration 0125): one row per workflow execution of a job. The first is
 * written by the workflow's beginJob activity, a resume or reopen by the API before it starts the new
 * execution; the job's finish closes the open one with the status it ended with.
 */
import type { TransactionSql } from '../db/client.ts';
import type { JobStatus } from '../../workflows/migration-job/definitions.ts';

export type RunReason = 'start' | 'resume' | 'reopen';

export interface JobRun {
  seq: number;
  reason: RunReason;
  workflowId: string;
  runId: string | null;
  /** The job's status when the run ended; null while it runs. */
  status: JobStatus | null;
  startedAt: string;
  endedAt: string | null;
}

interface RunRow {
  seq: number;
  reason: RunReason;
  workflow_id: string;
  run_id: string | null;
  status: JobStatus | null;
  started_at: Date;
  ended_at: Date | null;
}

export async function listRuns(tx: TransactionSql, jobId: string): Promise<JobRun[]> {
  const rows = await tx<RunRow[]>`
    select seq, reason, workflow_id, run_id, status, started_at, ended_at from freight.job_runs where job_id = ${jobId} order by seq`;
  return rows.map((r) => ({
    seq: r.seq, reason: r.reason, workflowId: r.workflow_id, runId: r.run_id, status: r.status,
    startedAt: r.started_at.toISOString(), endedAt: r.ended_at?.toISOString() ?? null,
  }));
}

/** The first run, once (a retried beginJob finds it written). */
export async function recordFirstRun(tx: TransactionSql, ref: { tenantId: string; jobId: string }, workflowId: string, runId: string | null): Promise<void> {
  await tx`
    insert into freight.job_runs (tenant_id, job_id, seq, reason, workflow_id, run_id)
    values (${ref.tenantId}, ${ref.jobId}, 1, 'start', ${workflowId}, ${runId})
    on conflict do nothing`;
}

/** Closes the job's open run with the status the job ended with (idempotent: only an open run changes). */
export async function closeOpenRun(tx: TransactionSql, jobId: string, status: JobStatus): Promise<void> {
  await tx`update freight.job_runs set status = ${status}, ended_at = now() where job_id = ${jobId} and ended_at is null`;
}

/**
 * Opens the next run of a closed job, in the transaction that moves the job back to running. A job
 * whose first run predates this table gets that run written from the job row first, so the history is whole.
 */
export async function openNextRun(
  tx: TransactionSql,
  job: { id: string; tenant_id: string; workflow_id: string; status: JobStatus; started_at: Date | null; finished_at: Date | null },
  reason: Exclude<RunReason, 'start'>,
): Promise<number> {
  await tx`
    insert into freight.job_runs (tenant_id, job_id, seq, reason, workflow_id, status, started_at, ended_at)
    values (${job.tenant_id}, ${job.id}, 1, 'start', ${job.workflow_id}, ${job.status}, coalesce(${job.started_at}, now()), coalesce(${job.finished_at}, now()))
    on conflict do nothing`;
  await closeOpenRun(tx, job.id, job.status);
  const [next] = await tx<{ seq: number }[]>`
    insert into freight.job_runs (tenant_id, job_id, seq, reason, workflow_id)
    select ${job.tenant_id}, ${job.id}, coalesce(max(seq), 0) + 1, ${reason}, ${job.workflow_id} from freight.job_runs where job_id = ${job.id}
    returning seq`;
  if (!next) throw new Error(`job ${job.id}: no run opened`);
  return next.seq;
}

export async function setRunId(tx: TransactionSql, jobId: string, seq: number, runId: string): Promise<void> {
  await tx`update freight.job_runs set run_id = ${runId} where job_id = ${jobId} and seq = ${seq}`;
}

/** A run whose start Temporal refused is taken back, with the job's earlier state. */
export async function dropRun(tx: TransactionSql, jobId: string, seq: number): Promise<void> {
  await tx`delete from freight.job_runs where job_id = ${jobId} and seq = ${seq}`;
}
