import { WorkflowNotFoundError, type Connection } from '@temporalio/client';
import type { Sql, TransactionSql } from '../shared/db/client.ts';
import { withAdminScope } from '../shared/db/scope.ts';
import { appendJobEvents } from '../shared/job-events/job-events.ts';
import type { JobRow } from '../shared/jobs/job-model.ts';
import { workflowInputOf } from '../shared/jobs/job-model.ts';
import type { JobWorkflows } from '../shared/jobs/job-workflows.ts';
import type { Logger } from '../shared/logger.ts';
import { namespaceClients } from '../shared/temporal-clients.ts';

/** Temporal's status name of a workflow's latest run (`RUNNING`, `TERMINATED`, …), undefined if none. */
export type WorkflowStatusOf = (namespace: string, workflowId: string) => Promise<string | undefined>;

export interface ReconcilerOptions {
  sql: Sql;
  workflows: Pick<JobWorkflows, 'start'>;
  workflowStatus: WorkflowStatusOf;
  logger: Logger;
  /** A job pending this long has had its API start attempt; younger ones may still be starting. */
  pendingAfterMs: number;
  /** An open row untouched this long is checked against its workflow (a grace for one settling now). */
  settleAfterMs: number;
  /** Rows looked at per pass (oldest first); the next pass takes the rest. */
  limit?: number;
  /** Restricts the reconciler to one tenant (operator tooling, tests). */
  tenantId?: string;
}

export interface ReconcileResult {
  started: string[];
  settled: string[];
}

/** One client per namespace over one connection: what the reconciler asks Temporal. */
export function temporalWorkflowStatus(connection: Connection): WorkflowStatusOf {
  const clientFor = namespaceClients(connection);
  return async (namespace, workflowId) => {
    const client = clientFor(namespace);
    try {
      return (await client.workflow.getHandle(workflowId).describe()).status.name;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  };
}

const OPEN = ['pending', 'running', 'paused'];
const CLOSED = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'TIMED_OUT']);

/**
 * Brings job rows and workflows back in step where Freight did not act: a job whose workflow start
 * failed (Temporal down when the API saved it) is started; a row whose workflow closed without
 * settling it (`temporal workflow terminate`, a timeout) is settled into a terminal status. A job
 * settles its own row before its workflow closes, so a closed workflow under an open row is final.
 */
export function createReconciler(options: ReconcilerOptions): () => Promise<ReconcileResult> {
  const { sql, logger } = options;
  const limit = options.limit ?? 100;
  const admin = <T>(reason: string, fn: (tx: TransactionSql) => Promise<T>) => withAdminScope(sql, { actor: 'worker', reason, audit: false }, fn);
  const tenantFilter = (tx: TransactionSql) => (options.tenantId ? tx`and tenant_id = ${options.tenantId}` : tx``);

  async function settle(row: JobRow, closedAs: string): Promise<boolean> {
    const status = closedAs === 'CANCELLED' ? 'cancelled' : 'failed';
    const reason = `workflow ${closedAs.toLowerCase().replace('_', ' ')} outside Freight`;
    const updated = await admin('reconcile: settle a job whose workflow closed', async (tx) => {
      const rows = await tx`
        update freight.jobs set status = ${status}, finished_at = now(), updated_at = now(),
          error = case when ${status} = 'failed' then ${reason} else error end,
          cancel_reason = case when ${status} = 'cancelled' then coalesce(cancel_reason, ${reason}) else cancel_reason end
        where id = ${row.id} and status in ${tx(OPEN)}
          -- A resume or reopen claims the row (running) a moment before Temporal starts its run: not a closed workflow yet.
          and not exists (select 1 from freight.job_runs r where r.job_id = ${row.id} and r.run_id is null and r.ended_at is null
                            and r.started_at > now() - interval '1 minute')
        returning id`;
      if (rows.length > 0) {
        await tx`update freight.job_runs set status = ${status}, ended_at = now() where job_id = ${row.id} and ended_at is null`;
        await tx`update freight.job_batches set status = 'cancelled', finished_at = now()
                 where job_id = ${row.id} and status in ('pending', 'running')`;
        // A status change like any other: live streams and webhooks hear of it.
        await appendJobEvents(tx, { tenantId: row.tenant_id, jobId: row.id }, [{ type: 'status', data: { status } }]);
      }
      return rows.length > 0;
    });
    if (updated) logger.warn({ jobId: row.id, namespace: row.namespace, closedAs, status }, 'settled a job whose workflow closed outside Freight');
    return updated;
  }

  async function start(row: JobRow): Promise<boolean> {
    const outcome = await options.workflows.start(row.namespace, workflowInputOf(row));
    if (outcome !== 'started') return false;
    await admin('reconcile: clear a start failure', (tx) => tx`
      update freight.jobs set error = null, updated_at = now() where id = ${row.id} and status = 'pending' and error is not null`);
    logger.info({ jobId: row.id, namespace: row.namespace }, 'started a job left pending without a workflow');
    return true;
  }

  return async () => {
    const result: ReconcileResult = { started: [], settled: [] };
    const rows = await admin('reconcile job rows with workflows', (tx) => tx<JobRow[]>`
      select * from freight.jobs where status in ${tx(OPEN)} ${tenantFilter(tx)}
        and updated_at < now() - make_interval(secs => ${options.settleAfterMs / 1000})
      order by updated_at limit ${limit}`);
    for (const row of rows) {
      try {
        const status = await options.workflowStatus(row.namespace, row.workflow_id);
        if (status && CLOSED.has(status)) {
          if (await settle(row, status)) result.settled.push(row.id);
        } else if (status === undefined && row.status === 'pending' && Date.now() - new Date(row.created_at).getTime() >= options.pendingAfterMs) {
          if (await start(row)) result.started.push(row.id);
        }
      } catch (err) {
        logger.warn({ err, jobId: row.id, namespace: row.namespace }, 'could not reconcile job; next pass retries');
      }
    }
    return result;
  };
}
