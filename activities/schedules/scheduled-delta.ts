import { ApplicationFailure } from '@temporalio/activity';
import type { Actor } from '../../shared/auth/principal.ts';
import type { Sql } from '../../shared/db/client.ts';
import { withTenant } from '../../shared/db/scope.ts';
import { AppError } from '../../shared/errors.ts';
import type { JobService } from '../../shared/jobs/jobs.ts';
import type { Logger } from '../../shared/logger.ts';
import { nextFollows, recordRun, runningDelta, runOfTick, scheduleById } from '../../shared/schedules/schedule-store.ts';
import type { DeltaScheduleTickInput, DeltaScheduleTickResult } from '../../workflows/delta-schedule/definitions.ts';

export interface ScheduleActivityDeps {
  sql: Sql;
  /** The API's job service (same checks, plan, audit and workflow start as POST /v1/jobs). */
  jobs: Pick<JobService, 'create'> | undefined;
  logger: Logger;
}

/** Who creates a schedule's deltas: the schedule itself, inside its tenant, with an engineer's rights. */
function scheduleActor(tenantId: string, scheduleId: string): Actor {
  return { principal: { actorType: 'system', actorId: `schedule:${scheduleId}`, role: 'engineer', tenantId }, requestId: null };
}

export function createScheduleActivities(deps: ScheduleActivityDeps) {
  return {
    /**
     * One tick of a delta schedule: skips while the schedule's previous delta still runs, else creates
     * the next delta job (following the schedule's latest completed delta, or its `follows` the first
     * time) through the job service, under an Idempotency-Key made from the tick's workflow id, so a
     * retried attempt finds the job it created. A refusal of the job service (a connection deleted,
     * its check failing, the quota) is recorded on the tick and ends it; an outage is retried.
     */
    async runScheduledDelta(input: DeltaScheduleTickInput & { tickId: string }): Promise<DeltaScheduleTickResult> {
      const { tenantId, scheduleId, tickId } = input;
      if (!deps.jobs) throw ApplicationFailure.retryable('this worker has no job service to create scheduled deltas with', 'configuration');
      const key = `schedule:${tickId}`;
      const decision = await withTenant(deps.sql, tenantId, async (tx) => {
        const schedule = await scheduleById(tx, scheduleId);
        if (!schedule) return { kind: 'gone' as const };
        const done = await runOfTick(tx, scheduleId, tickId);
        if (done) return { kind: 'done' as const, done };
        // A job this tick already created (an earlier attempt) is its own, not an overlap.
        const [mine] = await tx<{ id: string }[]>`select id from freight.jobs where idempotency_key = ${key}`;
        const running = mine ? undefined : await runningDelta(tx, scheduleId);
        if (running) {
          await recordRun(tx, tenantId, scheduleId, { tick_id: tickId, outcome: 'skipped_running', job_id: null, follows: null, error_code: null, error: `delta ${running} still runs` });
          return { kind: 'skipped' as const };
        }
        return { kind: 'create' as const, schedule, follows: await nextFollows(tx, schedule) };
      });
      if (decision.kind === 'gone') return { outcome: 'gone', jobId: null, follows: null };
      if (decision.kind === 'done') return { outcome: decision.done.outcome, jobId: decision.done.job_id, follows: decision.done.follows, errorCode: decision.done.error_code ?? undefined };
      if (decision.kind === 'skipped') return { outcome: 'skipped_running', jobId: null, follows: null };
      const { schedule, follows } = decision;
      try {
        const { job } = await deps.jobs.create(scheduleActor(tenantId, scheduleId), {
          ...schedule.job_template, mode: 'delta', follows, onConflict: schedule.on_conflict, metadata: { deltaScheduleId: scheduleId },
        }, key);
        await withTenant(deps.sql, tenantId, (tx) => recordRun(tx, tenantId, scheduleId, { tick_id: tickId, outcome: 'created', job_id: job.id, follows, error_code: null, error: null }));
        return { outcome: 'created', jobId: job.id, follows };
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        deps.logger.warn({ scheduleId, tickId, code: err.code, message: err.message }, 'scheduled delta refused');
        await withTenant(deps.sql, tenantId, (tx) => recordRun(tx, tenantId, scheduleId, { tick_id: tickId, outcome: 'refused', job_id: null, follows, error_code: err.code, error: err.message }));
        return { outcome: 'refused', jobId: null, follows, errorCode: err.code };
      }
    },
  };
}
