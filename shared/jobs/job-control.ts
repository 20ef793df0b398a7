import type { Actor } from '../auth/principal.ts';
import type { Sql } from '../db/client.ts';
import { withTenant } from '../db/scope.ts';
import { NotFoundError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { appendJobEvents } from '../job-events/job-events.ts';
import { recordAudit } from '../tenancy/audit.ts';
import { ownTenantOf, UUID_PATTERN } from '../tenancy/tenant-model.ts';
import type { JobStatus, RetryAnswer, RetryRequest, RetryScope } from '../../workflows/migration-job/definitions.ts';
import { JobClosedError, JobNotStartedError, JobTerminalError, WorkflowGoneError } from './job-errors.ts';
import { isTerminal } from './job-model.ts';
import type { JobSignal, JobWorkflows } from './job-workflows.ts';
import { createJobReopen, type NewRun } from './job-reopen.ts';
import { notifyWorkerDemand } from './worker-demand.ts';

export interface SignalResult {
  id: string;
  /** The job's status when the request was taken; the workflow moves it on asynchronously. */
  status: JobStatus;
  requested: JobSignal['kind'];
  /** Set when the request started a new run of the job (resume of a failed job). */
  run?: NewRun;
}

interface JobRef {
  id: string;
  tenant_id: string;
  status: JobStatus;
  namespace: string;
}

const MAX_REASON = 500;

/**
 * Cancel, pause, resume and retries: each goes to the job's workflow (signal or update) after the
 * worker process is told the namespace needs a Worker; the audit row is written once Temporal took it.
 */
export function createJobControl(deps: { sql: Sql; workflows: JobWorkflows; logger: Logger }) {
  const { sql, workflows, logger } = deps;
  const reopen = createJobReopen(deps);

  async function load(actor: Actor, jobId: string, batchId?: string): Promise<JobRef> {
    const tenantId = ownTenantOf(actor.principal);
    if (!UUID_PATTERN.test(jobId)) throw new NotFoundError('Job');
    return withTenant(sql, tenantId, async (tx) => {
      const [job] = await tx<JobRef[]>`select id, tenant_id, status, namespace from freight.jobs where id = ${jobId}`;
      if (!job) throw new NotFoundError('Job');
      if (batchId !== undefined) {
        const [batch] = await tx`select 1 from freight.job_batches where job_id = ${jobId} and id = ${batchId}`;
        if (!batch) throw new NotFoundError('Batch');
      }
      return job;
    });
  }

  const wake = (namespace: string): Promise<void> =>
    notifyWorkerDemand(sql, namespace).catch((err: unknown) => logger.warn({ err, namespace }, 'worker demand notification failed'));

  const gone = (job: JobRef): Error => (job.status === 'pending' ? new JobNotStartedError() : new JobClosedError(job.status));

  /** A job whose workflow never started is cancelled in the database alone: there is nothing to signal. */
  async function cancelUnstarted(actor: Actor, job: JobRef, reason: string | undefined): Promise<SignalResult> {
    return withTenant(sql, job.tenant_id, async (tx) => {
      const [row] = await tx<{ status: JobStatus }[]>`
        update freight.jobs set status = 'cancelled', cancel_reason = ${reason ?? 'cancelled before its workflow started'},
          finished_at = now(), updated_at = now()
        where id = ${job.id} and status = 'pending' returning status`;
      if (!row) throw new JobClosedError(job.status);
      await recordAudit(tx, actor, {
        tenantId: job.tenant_id, action: 'job.cancel', targetType: 'job', targetId: job.id, details: { reason, workflowStarted: false },
      });
      // A status change like any other: live streams and webhooks hear of it (last: it takes the job's event lock).
      await appendJobEvents(tx, { tenantId: job.tenant_id, jobId: job.id }, [{ type: 'status', data: { status: 'cancelled' } }]);
      return { id: job.id, status: row.status, requested: 'cancel' };
    });
  }

  async function signal(actor: Actor, jobId: string, request: JobSignal): Promise<SignalResult> {
    const job = await load(actor, jobId);
    // A failed job is resumed as a new run that continues where it stopped (shared/jobs/job-reopen.ts).
    if (request.kind === 'resume' && job.status === 'failed') {
      const resumed = await reopen.resumeFailed(actor, job.tenant_id, job.id);
      return { id: job.id, status: resumed.status, requested: 'resume', run: resumed.run };
    }
    if (isTerminal(job.status)) throw new JobTerminalError(job.status);
    const reason = request.kind === 'cancel' ? request.reason?.slice(0, MAX_REASON) : undefined;
    await wake(job.namespace);
    try {
      await workflows.signal(job.namespace, job.id, request.kind === 'cancel' ? { kind: 'cancel', reason } : request);
    } catch (err) {
      if (!(err instanceof WorkflowGoneError)) throw err;
      if (request.kind === 'cancel' && job.status === 'pending') return cancelUnstarted(actor, job, reason);
      throw gone(job);
    }
    await withTenant(sql, job.tenant_id, (tx) => recordAudit(tx, actor, {
      tenantId: job.tenant_id, action: `job.${request.kind}`, targetType: 'job', targetId: job.id,
      details: reason !== undefined ? { reason } : {},
    }));
    return { id: job.id, status: job.status, requested: request.kind };
  }

  /**
   * Asks the workflow to retry, and waits for its answer. Not gated on the job's stored status: a
   * job that finished with errors keeps its workflow open for retries for a while, and only the
   * workflow knows whether it still is. Once it has closed, the retry reopens the job as a new run.
   */
  async function retry(actor: Actor, jobId: string, request: RetryRequest): Promise<RetryAnswer> {
    const job = await load(actor, jobId, request.batchId);
    await wake(job.namespace);
    let answer: RetryAnswer;
    try {
      answer = await workflows.requestRetry(job.namespace, job.id, request);
    } catch (err) {
      if (!(err instanceof WorkflowGoneError)) throw err;
      // The retry window closed the workflow: a new run of the same job retries exactly what was asked.
      if (job.status !== 'completed_with_errors') throw gone(job);
      const reopened = await reopen.reopen(actor, job.tenant_id, job.id, request);
      return reopened.run
        ? { accepted: true, queued: reopened.queued, run: reopened.run }
        : { accepted: false, queued: 0, reason: 'nothing to retry (no failures)' };
    }
    const action = request.batchId !== undefined ? 'job.batch.retry' : 'job.retry';
    await withTenant(sql, job.tenant_id, (tx) => recordAudit(tx, actor, {
      tenantId: job.tenant_id, action, targetType: 'job', targetId: job.id,
      details: { batchId: request.batchId, scope: request.scope, accepted: answer.accepted, queued: answer.queued },
    }));
    return answer;
  }

  return {
    cancel: (actor: Actor, jobId: string, reason?: string) => signal(actor, jobId, { kind: 'cancel', reason }),
    pause: (actor: Actor, jobId: string) => signal(actor, jobId, { kind: 'pause' }),
    resume: (actor: Actor, jobId: string) => signal(actor, jobId, { kind: 'resume' }),
    retryFailed: (actor: Actor, jobId: string, scope: RetryScope) => retry(actor, jobId, { scope }),
    retryBatch: (actor: Actor, jobId: string, batchId: string) => retry(actor, jobId, { batchId }),
  };
}
