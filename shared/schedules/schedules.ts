import { createHash, randomUUID } from 'node:crypto';
import type { Actor } from '../auth/principal.ts';
import type { Sql, TransactionSql } from '../db/client.ts';
import { withTenant } from '../db/scope.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { OnConflict } from '../jobs/delta-options.ts';
import type { JobRow } from '../jobs/job-model.ts';
import type { Logger } from '../logger.ts';
import { pairFor } from '../pairs/index.ts';
import { notifyWorkerDemand } from '../jobs/worker-demand.ts';
import { recordAudit } from '../tenancy/audit.ts';
import { decodeCursor, encodeCursor } from '../tenancy/cursor.ts';
import { ownTenantOf, UUID_PATTERN } from '../tenancy/tenant-model.ts';
import { deltaScheduleId } from '../../workflows/delta-schedule/definitions.ts';
import { everySeconds } from './schedule-interval.ts';
import { toSchedule, type DeltaJobTemplate, type Schedule, type ScheduleDetail, type ScheduleRow } from './schedule-model.ts';
import { jsonOf, listRuns, scheduleById, scheduleByKey, setScheduleError } from './schedule-store.ts';
import type { DeltaScheduleClient } from './schedule-workflows.ts';

export interface CreateScheduleInput {
  follows: string;
  every: number | string;
  endAt?: string | undefined;
  onConflict?: OnConflict | undefined;
}

export interface ScheduleServiceOptions {
  sql: Sql;
  temporal: DeltaScheduleClient;
  logger: Logger;
  now?: () => number;
}

const START_FAILED = 'The Temporal schedule could not be created (Temporal unavailable); repeat the create request with the same Idempotency-Key';
const actorName = (actor: Actor) => `${actor.principal.actorType}:${actor.principal.actorId}`;

/** Delta schedules of one tenant (issue 17 item 2): a Temporal Schedule each, ticks creating delta jobs. */
export function createScheduleService(options: ScheduleServiceOptions) {
  const { sql, temporal, logger } = options;
  const now = options.now ?? Date.now;

  /**
   * The job a schedule follows first, checked as a delta job checks it (same codes): this tenant's
   * (404), of a pair with deltas (422 `delta_not_supported`), completed and not a dry run (422
   * `delta_follows_unfinished`). Its request becomes the template of every delta.
   */
  async function followed(tx: TransactionSql, follows: string): Promise<DeltaJobTemplate> {
    if (!UUID_PATTERN.test(follows)) throw new NotFoundError('Job');
    const [job] = await tx<(JobRow & { source_type: string; target_type: string })[]>`
      select j.*, s.type as source_type, t.type as target_type from freight.jobs j
      join freight.connections s on s.id = j.source_connection_id join freight.connections t on t.id = j.target_connection_id
      where j.id = ${follows.toLowerCase()}`;
    if (!job) throw new NotFoundError('Job');
    const pair = pairFor(job.source_type, job.target_type);
    if (!pair?.delta) throw new AppError('delta_not_supported', 422, `${pair?.displayName ?? 'These'} jobs have no delta passes (the pair keeps no source hashes or after-images); no schedule of deltas can follow one`);
    if (!['completed', 'completed_with_errors'].includes(job.status) || job.dry_run) {
      throw new AppError('delta_follows_unfinished', 422, `Job ${job.id} is ${job.dry_run ? 'a dry run' : job.status}; a delta follows a job that completed`);
    }
    return {
      sourceConnectionId: job.source_connection_id, targetConnectionId: job.target_connection_id, objects: job.objects,
      batchSize: job.batch_size, concurrency: job.concurrency, retryPolicy: job.retry_policy,
      ...(job.options.mapping ? { mapping: job.options.mapping } : {}),
    };
  }

  async function find(tenantId: string, id: string): Promise<ScheduleRow> {
    if (!UUID_PATTERN.test(id)) throw new NotFoundError('Schedule');
    const row = await withTenant(sql, tenantId, (tx) => scheduleById(tx, id.toLowerCase()));
    if (!row) throw new NotFoundError('Schedule');
    return row;
  }

  /** Creates the Temporal schedule (a no-op if it exists); on failure the row keeps `error` and the caller gets 503. */
  async function ensureScheduled(row: ScheduleRow): Promise<ScheduleRow> {
    try {
      await temporal.create({
        namespace: row.namespace, scheduleId: row.id, everySeconds: row.every_seconds, endAt: row.end_at, paused: row.paused,
        input: { tenantId: row.tenant_id, scheduleId: row.id },
      });
    } catch (err) {
      logger.warn({ err, scheduleId: row.id, namespace: row.namespace }, 'temporal schedule could not be created');
      await withTenant(sql, row.tenant_id, (tx) => setScheduleError(tx, row.id, START_FAILED))
        .catch((dbErr: unknown) => logger.warn({ err: dbErr, scheduleId: row.id }, 'could not record the schedule failure'));
      throw new AppError('dependency_unavailable', 503,
        `Temporal unavailable: schedule ${row.id} was saved but its Temporal schedule could not be created; repeat the request with the same Idempotency-Key`,
        { details: { scheduleId: row.id }, cause: err });
    }
    // The tenant's namespace needs a Worker for the ticks: wake the workers now rather than at their next round.
    await notifyWorkerDemand(sql, row.namespace).catch((err: unknown) => logger.warn({ err, namespace: row.namespace }, 'worker demand notification failed'));
    if (row.error === null) return row;
    return (await withTenant(sql, row.tenant_id, (tx) => setScheduleError(tx, row.id, null))) ?? row;
  }

  async function create(actor: Actor, input: CreateScheduleInput, idempotencyKey?: string): Promise<{ schedule: Schedule; created: boolean }> {
    const tenantId = ownTenantOf(actor.principal);
    const seconds = everySeconds(input.every);
    if (seconds === null) throw new ValidationError('Invalid schedule', [{ path: ['every'], message: 'seconds (≥ 60), 90s / 15m / 6h / 1d, or an ISO-8601 duration of at least a minute' }]);
    const endAt = input.endAt === undefined ? null : new Date(input.endAt);
    if (endAt && Number.isNaN(endAt.getTime())) throw new ValidationError('Invalid schedule', [{ path: ['endAt'], message: 'not a date-time' }]);
    const onConflict = input.onConflict ?? 'keep-target';
    const hash = createHash('sha256').update(JSON.stringify([input.follows.toLowerCase(), seconds, endAt?.toISOString() ?? null, onConflict])).digest('hex');
    const { row, created } = await withTenant(sql, tenantId, async (tx) => {
      const earlier = idempotencyKey ? await scheduleByKey(tx, idempotencyKey) : undefined;
      if (earlier) {
        if (earlier.request_hash !== hash) throw new ConflictError('This Idempotency-Key was already used for a different request', { scheduleId: earlier.id });
        return { row: earlier, created: false };
      }
      const template = await followed(tx, input.follows);
      // After the followed job's checks (a foreign id is a 404 whatever else the request says).
      if (endAt && endAt.getTime() <= now()) throw new AppError('schedule_end_passed', 422, `endAt ${endAt.toISOString()} has passed; a schedule ends in the future`);
      const [tenant] = await tx<{ namespace: string }[]>`select namespace from freight.tenants where id = ${tenantId}`;
      if (!tenant) throw new NotFoundError('Tenant');
      const id = randomUUID();
      const [inserted] = await tx<ScheduleRow[]>`
        insert into freight.delta_schedules (id, tenant_id, namespace, temporal_schedule_id, follows, every_seconds, end_at, on_conflict,
          job_template, idempotency_key, request_hash, created_by)
        values (${id}, ${tenantId}, ${tenant.namespace}, ${deltaScheduleId(id)}, ${input.follows.toLowerCase()}, ${seconds}, ${endAt},
          ${onConflict}, ${jsonOf(tx, template)}, ${idempotencyKey ?? null}, ${hash}, ${actorName(actor)})
        returning *`;
      if (!inserted) throw new Error('schedule insert returned no row');
      await recordAudit(tx, actor, {
        tenantId, action: 'schedule.create', targetType: 'schedule', targetId: id,
        details: { follows: inserted.follows, everySeconds: seconds, endAt: endAt?.toISOString() ?? null, onConflict, idempotencyKey: idempotencyKey ?? undefined },
      });
      return { row: inserted, created: true };
    });
    return { schedule: toSchedule(await ensureScheduled(row)), created };
  }

  async function list(actor: Actor, page: { limit: number; cursor?: string | undefined }): Promise<{ data: Schedule[]; nextCursor: string | null }> {
    const tenantId = ownTenantOf(actor.principal);
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    if (page.cursor && !after) throw new ValidationError('Invalid cursor', [{ path: ['cursor'], message: 'not a cursor from a previous page' }]);
    const rows = await withTenant(sql, tenantId, (tx) => tx<ScheduleRow[]>`
      select * from freight.delta_schedules where deleted_at is null
        and ${after ? tx`(date_trunc('milliseconds', created_at), id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : tx`true`}
      order by date_trunc('milliseconds', created_at) desc, id desc limit ${page.limit + 1}`);
    const data = rows.slice(0, page.limit).map(toSchedule);
    const last = data.at(-1);
    return { data, nextCursor: rows.length > page.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
  }

  async function get(actor: Actor, id: string): Promise<ScheduleDetail> {
    const tenantId = ownTenantOf(actor.principal);
    const row = await find(tenantId, id);
    const runs = await withTenant(sql, tenantId, (tx) => listRuns(tx, row.id));
    const state = await temporal.describe(row.namespace, row.id).catch((err: unknown) => {
      logger.warn({ err, scheduleId: row.id }, 'temporal schedule describe failed');
      return undefined;
    });
    return { ...toSchedule(row), temporal: state ?? null, runs };
  }

  /** Pause or unpause: Temporal first (the schedule's truth), then the row and the audit trail. */
  async function setPaused(actor: Actor, id: string, paused: boolean): Promise<Schedule> {
    const tenantId = ownTenantOf(actor.principal);
    const row = await find(tenantId, id);
    const note = `${paused ? 'paused' : 'unpaused'} through the Freight API by ${actorName(actor)}`;
    try {
      await (paused ? temporal.pause(row.namespace, row.id, note) : temporal.unpause(row.namespace, row.id, note));
    } catch (err) {
      throw new AppError('dependency_unavailable', 503, `Temporal did not ${paused ? 'pause' : 'unpause'} schedule ${row.id}; repeat the request`, { cause: err });
    }
    const updated = await withTenant(sql, tenantId, async (tx) => {
      const [r] = await tx<ScheduleRow[]>`update freight.delta_schedules set paused = ${paused} where id = ${row.id} returning *`;
      await recordAudit(tx, actor, { tenantId, action: paused ? 'schedule.pause' : 'schedule.unpause', targetType: 'schedule', targetId: row.id });
      return r ?? row;
    });
    return toSchedule(updated);
  }

  /** Deletes the Temporal schedule (ticks stop), then marks the row deleted; the delta jobs it created stay. */
  async function remove(actor: Actor, id: string): Promise<void> {
    const tenantId = ownTenantOf(actor.principal);
    const row = await find(tenantId, id);
    try {
      await temporal.remove(row.namespace, row.id);
    } catch (err) {
      throw new AppError('dependency_unavailable', 503, `Temporal did not delete schedule ${row.id}; repeat the request`, { cause: err });
    }
    await withTenant(sql, tenantId, async (tx) => {
      await tx`update freight.delta_schedules set deleted_at = now() where id = ${row.id} and deleted_at is null`;
      await recordAudit(tx, actor, { tenantId, action: 'schedule.delete', targetType: 'schedule', targetId: row.id });
    });
  }

  return {
    create, list, get, remove,
    pause: (actor: Actor, id: string) => setPaused(actor, id, true),
    unpause: (actor: Actor, id: string) => setPaused(actor, id, false),
  };
}

export type ScheduleService = ReturnType<typeof createScheduleService>;
