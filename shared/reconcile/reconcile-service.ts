import { randomUUID } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { Actor } from '../auth/principal.ts';
import type { Sql } from '../db/client.ts';
import { withTenant } from '../db/scope.ts';
import { ConflictError, DependencyError, NotFoundError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { S3Context } from '../s3.ts';
import { recordAudit } from '../tenancy/audit.ts';
import { ownTenantOf, UUID_PATTERN } from '../tenancy/tenant-model.ts';
import { isTerminal } from '../jobs/job-model.ts';
import { reconcileWorkflowId } from '../../workflows/reconcile-job/definitions.ts';
import type { JobStatus } from '../../workflows/migration-job/definitions.ts';
import type { ReconciliationReport } from './reconcile-model.ts';
import { listReconciliations, openReconciliation, setReconciliationStatus, toRun, type ReconciliationRow, type ReconciliationRun } from './reconcile-store.ts';
import type { ReconcileWorkflows } from './reconcile-workflows.ts';

export interface ReconcileServiceDeps {
  sql: Sql;
  s3: S3Context;
  workflows: ReconcileWorkflows;
  logger: Logger;
}

export interface Reconciliation {
  latest: (ReconciliationRun & { report: ReconciliationReport | null }) | null;
  runs: ReconciliationRun[];
}

/** Reconciliations of the caller's tenant's jobs: start one, read runs and reports (another tenant's job is a 404). */
export function createReconcileService(deps: ReconcileServiceDeps) {
  const { sql } = deps;

  const tenantOf = (actor: Actor, jobId: string): string => {
    const tenantId = ownTenantOf(actor.principal);
    if (!UUID_PATTERN.test(jobId)) throw new NotFoundError('Job');
    return tenantId;
  };

  async function runsOf(actor: Actor, jobId: string): Promise<ReconciliationRow[]> {
    return withTenant(sql, tenantOf(actor, jobId), async (tx) => {
      const [job] = await tx`select 1 from freight.jobs where id = ${jobId}`;
      if (!job) throw new NotFoundError('Job');
      return listReconciliations(tx, jobId);
    });
  }

  const body = async (key: string) => (await deps.s3.client.send(new GetObjectCommand({ Bucket: deps.s3.bucket, Key: key }))).Body;

  /** Starts a reconcileJob workflow for a finished job; a repeat under the same Idempotency-Key answers the run it started. */
  async function request(actor: Actor, jobId: string, idempotencyKey?: string): Promise<{ run: ReconciliationRun; created: boolean }> {
    const tenantId = tenantOf(actor, jobId);
    const opened = await withTenant(sql, tenantId, async (tx) => {
      const [job] = await tx<{ status: JobStatus; dry_run: boolean; namespace: string }[]>`
        select status, dry_run, namespace from freight.jobs where id = ${jobId} for update`;
      if (!job) throw new NotFoundError('Job');
      if (idempotencyKey) {
        const [seen] = await tx<ReconciliationRow[]>`
          select * from freight.job_reconciliations where job_id = ${jobId} and idempotency_key = ${idempotencyKey}`;
        if (seen) return { row: seen, namespace: job.namespace, created: false };
      }
      if (job.dry_run) throw new ConflictError('A dry run wrote nothing to reconcile');
      if (!isTerminal(job.status)) throw new ConflictError(`The job is ${job.status}: reconcile it once it has finished`);
      const row = await openReconciliation(tx, {
        tenantId, jobId, trigger: 'manual', workflowId: reconcileWorkflowId(jobId, randomUUID()), status: 'pending',
        idempotencyKey, requestedBy: `${actor.principal.actorType}:${actor.principal.actorId}`,
      });
      await recordAudit(tx, actor, { tenantId, action: 'job.reconcile', targetType: 'job', targetId: jobId, details: { seq: row.seq } });
      return { row, namespace: job.namespace, created: true };
    });
    if (!opened.created) return { run: toRun(opened.row), created: false };
    try {
      await deps.workflows.start(opened.namespace, opened.row.workflow_id, { tenantId, jobId, trigger: 'manual' });
    } catch (err) {
      deps.logger.warn({ err, jobId, workflowId: opened.row.workflow_id }, 'reconciliation workflow could not be started');
      await withTenant(sql, tenantId, (tx) => setReconciliationStatus(tx, jobId, opened.row.seq, 'failed', 'the workflow could not be started'));
      throw new DependencyError('Temporal', 'the reconciliation workflow could not be started', err);
    }
    return { run: toRun(opened.row), created: true };
  }

  /** The runs, newest first, and the newest (or the asked) run with its report from S3 once completed. */
  async function get(actor: Actor, jobId: string, seq?: number): Promise<Reconciliation> {
    const rows = await runsOf(actor, jobId);
    const chosen = seq === undefined ? rows[0] : rows.find((r) => r.seq === seq);
    if (seq !== undefined && !chosen) throw new NotFoundError('Reconciliation');
    let report: ReconciliationReport | null = null;
    if (chosen?.json_key) report = JSON.parse(await (await body(chosen.json_key))?.transformToString() ?? 'null') as ReconciliationReport | null;
    return { latest: chosen ? { ...toRun(chosen), report } : null, runs: rows.map(toRun) };
  }

  /** The CSV of the newest completed run (or `seq`), streamed from S3. */
  async function csv(actor: Actor, jobId: string, seq?: number): Promise<{ stream: ReadableStream<Uint8Array>; seq: number }> {
    const rows = await runsOf(actor, jobId);
    const chosen = rows.find((r) => r.csv_key && (seq === undefined || r.seq === seq));
    if (!chosen?.csv_key) throw new NotFoundError('Reconciliation');
    const stream = (await body(chosen.csv_key))?.transformToWebStream();
    if (!stream) throw new NotFoundError('Reconciliation');
    return { stream: stream as ReadableStream<Uint8Array>, seq: chosen.seq };
  }

  return { request, get, csv };
}

export type ReconcileService = ReturnType<typeof createReconcileService>;
