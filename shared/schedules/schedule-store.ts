import type postgres from 'postgres';
import type { TransactionSql } from '../db/client.ts';
import type { JobRow } from '../jobs/job-model.ts';
import { readDeltaSummary } from '../jobs/delta-summary.ts';
import type { ScheduleRow, ScheduleRun, ScheduleRunRow } from './schedule-model.ts';

// The one home of the SQL on freight.delta_schedules and freight.delta_schedule_runs (callers pass
// a transaction scoped to the tenant: RLS applies).

const RUNS_LISTED = 50;

export async function scheduleById(tx: TransactionSql, id: string): Promise<ScheduleRow | undefined> {
  return (await tx<ScheduleRow[]>`select * from freight.delta_schedules where id = ${id} and deleted_at is null`)[0];
}

export async function scheduleByKey(tx: TransactionSql, idempotencyKey: string): Promise<ScheduleRow | undefined> {
  return (await tx<ScheduleRow[]>`select * from freight.delta_schedules where idempotency_key = ${idempotencyKey}`)[0];
}

export async function setScheduleError(tx: TransactionSql, id: string, error: string | null): Promise<ScheduleRow | undefined> {
  return (await tx<ScheduleRow[]>`update freight.delta_schedules set error = ${error} where id = ${id} returning *`)[0];
}

/** The tick already recorded (a retried activity after its job was created). */
export async function runOfTick(tx: TransactionSql, scheduleId: string, tickId: string): Promise<ScheduleRunRow | undefined> {
  return (await tx<ScheduleRunRow[]>`select * from freight.delta_schedule_runs where schedule_id = ${scheduleId} and tick_id = ${tickId}`)[0];
}

export async function recordRun(
  tx: TransactionSql, tenantId: string, scheduleId: string,
  run: Pick<ScheduleRunRow, 'tick_id' | 'outcome' | 'job_id' | 'follows' | 'error_code' | 'error'>,
): Promise<void> {
  await tx`
    insert into freight.delta_schedule_runs (tenant_id, schedule_id, tick_id, outcome, job_id, follows, error_code, error)
    values (${tenantId}, ${scheduleId}, ${run.tick_id}, ${run.outcome}, ${run.job_id}, ${run.follows}, ${run.error_code}, ${run.error})
    on conflict (schedule_id, tick_id) do nothing`;
}

/** A delta this schedule created that has not finished: the next tick must not overlap it. */
export async function runningDelta(tx: TransactionSql, scheduleId: string): Promise<string | undefined> {
  const [row] = await tx<{ id: string }[]>`
    select j.id from freight.delta_schedule_runs r join freight.jobs j on j.id = r.job_id
    where r.schedule_id = ${scheduleId} and j.status in ('pending', 'running', 'paused') limit 1`;
  return row?.id;
}

/** What the next delta follows: this schedule's latest completed delta, else the schedule's `follows`. */
export async function nextFollows(tx: TransactionSql, schedule: ScheduleRow): Promise<string> {
  const [row] = await tx<{ id: string }[]>`
    select j.id from freight.delta_schedule_runs r join freight.jobs j on j.id = r.job_id
    where r.schedule_id = ${schedule.id} and j.status in ('completed', 'completed_with_errors')
    order by j.finished_at desc nulls last, j.created_at desc limit 1`;
  return row?.id ?? schedule.follows;
}

/** The ticks, newest first, with the delta jobs they created and those jobs' delta counts. */
export async function listRuns(tx: TransactionSql, scheduleId: string): Promise<ScheduleRun[]> {
  const rows = await tx<ScheduleRunRow[]>`
    select r.* from freight.delta_schedule_runs r
    where r.schedule_id = ${scheduleId} order by r.created_at desc, r.tick_id desc limit ${RUNS_LISTED}`;
  const runs: ScheduleRun[] = [];
  for (const r of rows) {
    let job: ScheduleRun['job'] = null;
    if (r.job_id) {
      const [j] = await tx<JobRow[]>`select * from freight.jobs where id = ${r.job_id}`;
      if (j) {
        const summary = await readDeltaSummary(tx, j);
        job = {
          id: j.id, status: j.status, createdAt: j.created_at.toISOString(), finishedAt: j.finished_at?.toISOString() ?? null,
          counts: summary && j.finished_at ? summary.counts : null,
        };
      }
    }
    runs.push({
      tickId: r.tick_id, outcome: r.outcome, follows: r.follows, errorCode: r.error_code, error: r.error,
      createdAt: r.created_at.toISOString(), job,
    });
  }
  return runs;
}

export const jsonOf = (tx: TransactionSql, value: unknown) => tx.json(value as postgres.JSONValue);
