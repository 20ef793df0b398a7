import type { Actor } from '../auth/principal.ts';
import type { Sql, TransactionSql } from '../db/client.ts';
import { withTenant } from '../db/scope.ts';
import { AppError, ConflictError, NotFoundError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { appendJobEvents } from '../job-events/job-events.ts';
import { recordAudit } from '../tenancy/audit.ts';
import type { CarriedState, JobStatus, RetryRequest, Totals } from '../../workflows/migration-job/definitions.ts';
import { JobClosedError, JobNotFailedError, WorkflowStillOpenError } from './job-errors.ts';
import { workflowInputOf, type JobRow } from './job-model.ts';
import { dropRun, openNextRun, setRunId, type RunReason } from './job-runs.ts';
import type { JobWorkflows } from './job-workflows.ts';
import { planReopen, planResume, type PlanBatch } from './resume-plan.ts';
import { notifyWorkerDemand } from './worker-demand.ts';

export interface NewRun {
  seq: number;
  runId: string;
}

/** A new workflow execution of a closed job needs this much of it. */
type Claimed = { row: JobRow; carried: CarriedState; seq: number; queued: number };

/**
 * New runs of a closed job: resume of a failed job, and a retry after the job's workflow closed
 * (its retry window passed). Both continue from what PostgreSQL holds (shared/jobs/resume-plan.ts),
 * as a new execution of the same workflow id, listed in the job's runs.
 *
 * The job is claimed first (closed status → running, in one transaction with its new run row and the
 * status event), so two concurrent requests cannot both start a run; the claim is taken back if
 * Temporal refuses the start.
 */
export function createJobReopen(deps: { sql: Sql; workflows: JobWorkflows; logger: Logger }) {
  const { sql, workflows, logger } = deps;

  async function totalsOf(tx: TransactionSql, jobId: string): Promise<Omit<Totals, 'retriesRequested'>> {
    const [t] = await tx<Omit<Totals, 'retriesRequested'>[]>`
      select
        (select count(*) from freight.job_batches where job_id = ${jobId} and status = 'succeeded')::int as "batchesSucceeded",
        (select count(*) from freight.job_batches where job_id = ${jobId} and status = 'completed_with_errors')::int as "batchesWithErrors",
        (select count(*) from freight.job_batches where job_id = ${jobId} and status = 'failed')::int as "batchesFailed",
        (select count(*) from freight.job_records where job_id = ${jobId} and status = 'succeeded')::int as succeeded,
        (select count(*) from freight.job_records where job_id = ${jobId} and status = 'failed')::int as failed,
        (select count(*) from freight.job_records where job_id = ${jobId} and status = 'skipped')::int as skipped`;
    return t ?? { batchesSucceeded: 0, batchesWithErrors: 0, batchesFailed: 0, succeeded: 0, failed: 0, skipped: 0 };
  }

  async function retryTargets(tx: TransactionSql, jobId: string, request: RetryRequest): Promise<PlanBatch[]> {
    const cols = tx`b.id, b.object, b.seq, b.status, b.record_count, b.next_cursor`;
    if (request.batchId !== undefined) return tx<PlanBatch[]>`select ${cols} from freight.job_batches b where b.job_id = ${jobId} and b.id = ${request.batchId}`;
    if (request.scope === 'failed-batches') return tx<PlanBatch[]>`select ${cols} from freight.job_batches b where b.job_id = ${jobId} and b.status = 'failed'`;
    return tx<PlanBatch[]>`
      select ${cols} from freight.job_batches b where b.job_id = ${jobId}
        and exists (select 1 from freight.job_records r where r.job_id = ${jobId} and r.batch_id = b.id and r.status in ('failed', 'retrying'))`;
  }

  /** Claims the job for a new run; undefined when there is nothing to run (a reopen without targets). */
  async function claim(tenantId: string, jobId: string, reason: Exclude<RunReason, 'start'>, request?: RetryRequest): Promise<Claimed | undefined> {
    return withTenant(sql, tenantId, async (tx) => {
      const [row] = await tx<JobRow[]>`select * from freight.jobs where id = ${jobId} for update`;
      if (!row) throw new NotFoundError('Job');
      const startedAtMs = (row.started_at ?? row.created_at).getTime();
      const totals = await totalsOf(tx, jobId);
      let carried: CarriedState;
      if (reason === 'resume') {
        if (row.status !== 'failed') throw new JobNotFailedError(row.status);
        const batches = await tx<PlanBatch[]>`select id, object, seq, status, record_count, next_cursor from freight.job_batches where job_id = ${jobId}`;
        carried = planResume(row.objects, batches, totals, startedAtMs);
      } else {
        // Only a job that finished with errors is reopened: a failed one is resumed, the others have nothing to retry.
        if (row.status !== 'completed_with_errors') throw new JobClosedError(row.status);
        carried = planReopen(row.objects, request ?? {}, await retryTargets(tx, jobId, request ?? {}), totals, startedAtMs);
        if (carried.retries.length === 0) return undefined;
      }
      await tx`update freight.jobs set status = 'running', error = null, finished_at = null, updated_at = now() where id = ${jobId}`;
      const seq = await openNextRun(tx, row, reason);
      await appendJobEvents(tx, { tenantId, jobId }, [{ type: 'status', data: { status: 'running' } }]);
      return { row, carried, seq, queued: carried.retries.length };
    });
  }

  /** Temporal refused the start: the job goes back to how it was, and its run row is taken back. */
  async function release(c: Claimed): Promise<void> {
    await withTenant(sql, c.row.tenant_id, async (tx) => {
      const changed = await tx`
        update freight.jobs set status = ${c.row.status}, error = ${c.row.error}, finished_at = ${c.row.finished_at}, updated_at = now()
        where id = ${c.row.id} and status = 'running' returning id`;
      await dropRun(tx, c.row.id, c.seq);
      if (changed.length > 0) await appendJobEvents(tx, { tenantId: c.row.tenant_id, jobId: c.row.id }, [{ type: 'status', data: { status: c.row.status } }]);
    }).catch((err: unknown) => logger.error({ err, jobId: c.row.id }, 'could not take back the claim of a run that did not start'));
  }

  async function startRun(actor: Actor, c: Claimed, action: string, details: Record<string, unknown>): Promise<NewRun> {
    await notifyWorkerDemand(sql, c.row.namespace).catch((err: unknown) => logger.warn({ err, namespace: c.row.namespace }, 'worker demand notification failed'));
    let runId: string;
    try {
      runId = await workflows.startRun(c.row.namespace, { ...workflowInputOf(c.row), carried: c.carried });
    } catch (err) {
      await release(c);
      if (err instanceof WorkflowStillOpenError) throw new ConflictError("The job's workflow is still open: wait for it to close");
      throw new AppError('dependency_unavailable', 503, 'Temporal unavailable: the new run could not be started; repeat the request', { cause: err });
    }
    await withTenant(sql, c.row.tenant_id, async (tx) => {
      await setRunId(tx, c.row.id, c.seq, runId);
      await recordAudit(tx, actor, {
        tenantId: c.row.tenant_id, action, targetType: 'job', targetId: c.row.id, details: { ...details, run: c.seq, runId, previousStatus: c.row.status },
      });
    });
    return { seq: c.seq, runId };
  }

  return {
    /** Resume a failed job as a new run that continues where it stopped. */
    async resumeFailed(actor: Actor, tenantId: string, jobId: string): Promise<{ status: JobStatus; run: NewRun }> {
      const c = await claim(tenantId, jobId, 'resume');
      if (!c) throw new Error('unreachable: a resume always has a plan');
      return { status: 'running', run: await startRun(actor, c, 'job.resume_failed', { unfinishedBatches: c.queued }) };
    },
    /** A retry of a job whose workflow closed: a new run that retries exactly what the request names. */
    async reopen(actor: Actor, tenantId: string, jobId: string, request: RetryRequest): Promise<{ queued: number; run?: NewRun }> {
      const c = await claim(tenantId, jobId, 'reopen', request);
      if (!c) return { queued: 0 };
      const run = await startRun(actor, c, request.batchId !== undefined ? 'job.batch.retry' : 'job.retry', { ...request, reopened: true, queued: c.queued });
      return { queued: c.queued, run };
    },
  };
}
