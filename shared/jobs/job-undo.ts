import { createHash, randomUUID } from 'node:crypto';
import type { Actor } from '../auth/principal.ts';
import type { Sql, TransactionSql } from '../db/client.ts';
import { withTenant } from '../db/scope.ts';
import { AppError, ConflictError, NotFoundError } from '../errors.ts';
import { pairFor } from '../pairs/index.ts';
import { recordAudit } from '../tenancy/audit.ts';
import { ownTenantOf, UUID_PATTERN } from '../tenancy/tenant-model.ts';
import { jobWorkflowId } from '../../workflows/migration-job/definitions.ts';
import { isTerminal, type Job, type JobRow } from './job-model.ts';

export interface UndoRequest {
  dryRun?: boolean | undefined;
  force?: boolean | undefined;
}

/**
 * `POST /v1/jobs/{id}/undo`: an undo is a job of its own kind (jobs.kind = 'undo', undo_of = the
 * job), run by the `undoJob` workflow over the job's write images in reverse phase order, with the
 * job's batch size, concurrency and retry policy. Like job creation, an Idempotency-Key makes a
 * repeat answer the same undo job (and start its workflow if an earlier attempt could not).
 */
export function createJobUndo(deps: { sql: Sql; ensureStarted: (row: JobRow) => Promise<JobRow>; view: (row: JobRow) => Job }) {
  const { sql } = deps;

  const hashOf = (jobId: string, req: { dryRun: boolean; force: boolean }) =>
    createHash('sha256').update(JSON.stringify(['undo', jobId, req.dryRun, req.force])).digest('hex');

  async function connectionTypes(tx: TransactionSql, job: JobRow): Promise<{ source: string; target: string }> {
    const rows = await tx<{ id: string; type: string }[]>`
      select id, type from freight.connections where id in (${job.source_connection_id}, ${job.target_connection_id})`;
    const typeOf = (id: string) => rows.find((r) => r.id === id)?.type ?? '';
    return { source: typeOf(job.source_connection_id), target: typeOf(job.target_connection_id) };
  }

  async function insert(actor: Actor, tenantId: string, jobId: string, req: { dryRun: boolean; force: boolean }, idempotencyKey: string | undefined) {
    const hash = hashOf(jobId, req);
    return withTenant(sql, tenantId, async (tx) => {
      const byKey = async () => (idempotencyKey ? (await tx<JobRow[]>`select * from freight.jobs where idempotency_key = ${idempotencyKey}`)[0] : undefined);
      const same = (row: JobRow) => {
        if (row.options.requestHash !== hash) throw new ConflictError('This Idempotency-Key was already used for a different request', { jobId: row.id });
        return { row, created: false };
      };
      const earlier = await byKey();
      if (earlier) return same(earlier);
      const [job] = await tx<JobRow[]>`select * from freight.jobs where id = ${jobId} for share`;
      if (!job) throw new NotFoundError('Job');
      if (job.kind === 'undo') throw new AppError('undo_not_supported', 422, 'An undo job cannot itself be undone');
      const types = await connectionTypes(tx, job);
      const pair = pairFor(types.source, types.target);
      if (!pair?.undo) {
        throw new AppError('undo_not_supported', 422,
          `${pair?.displayName ?? 'This connector pair'} keeps no before-images of its writes: its jobs cannot be undone`);
      }
      if (!isTerminal(job.status)) {
        throw new AppError('job_not_finished', 409, `Job is ${job.status}: only a finished job (completed, completed_with_errors, failed or cancelled) can be undone`);
      }
      const id = randomUUID();
      const options = { requestHash: hash, undo: req };
      // The job's kinds in reverse dependency order: what references others goes first.
      const objects = [...job.objects].reverse();
      const [row] = await tx<JobRow[]>`
        insert into freight.jobs (id, tenant_id, status, kind, undo_of, source_connection_id, target_connection_id, objects, batch_size, concurrency,
          retry_policy, dry_run, options, metadata, idempotency_key, namespace, workflow_id, created_by)
        values (${id}, ${tenantId}, 'pending', 'undo', ${job.id}, ${job.source_connection_id}, ${job.target_connection_id}, ${tx.array(objects)},
          ${job.batch_size}, ${job.concurrency}, ${tx.json(job.retry_policy as never)}, ${req.dryRun}, ${tx.json(options as never)},
          ${tx.json({ undoOf: job.id } as never)}, ${idempotencyKey ?? null}, ${job.namespace}, ${jobWorkflowId(id)},
          ${`${actor.principal.actorType}:${actor.principal.actorId}`})
        on conflict (tenant_id, idempotency_key) do nothing returning *`;
      if (!row) {
        const winner = await byKey();
        if (!winner) throw new Error('idempotent undo insert found neither a new nor an existing row');
        return same(winner);
      }
      await recordAudit(tx, actor, {
        tenantId, action: 'job.undo', targetType: 'job', targetId: job.id,
        details: { undoJobId: id, dryRun: req.dryRun, force: req.force, idempotencyKey: idempotencyKey ?? undefined },
      });
      return { row, created: true };
    });
  }

  return {
    /** Creates the undo job of `jobId` and starts its workflow; created: false for a repeat under the same Idempotency-Key. */
    async undo(actor: Actor, jobId: string, body: UndoRequest, idempotencyKey?: string): Promise<{ job: Job; created: boolean }> {
      const tenantId = ownTenantOf(actor.principal);
      if (!UUID_PATTERN.test(jobId)) throw new NotFoundError('Job');
      const req = { dryRun: body.dryRun ?? false, force: body.force ?? false };
      const { row, created } = await insert(actor, tenantId, jobId.toLowerCase(), req, idempotencyKey);
      const started = row.status === 'pending' ? await deps.ensureStarted(row) : row;
      return { job: deps.view(started), created };
    },
  };
}
