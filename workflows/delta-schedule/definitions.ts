/**
 * The public surface of delta schedules (issue 17 item 2): a Temporal Schedule per Freight schedule,
 * in the tenant's namespace, whose action starts one deltaScheduleTick per interval. Temporal appends
 * the scheduled time to the action's workflow id, so each tick's id is unique and names its time.
 */
export const DELTA_SCHEDULE_TICK_WORKFLOW = 'deltaScheduleTick';

/** Business-key ids: the Temporal schedule and the prefix of its ticks' workflow ids. */
export function deltaScheduleId(scheduleId: string): string {
  return `delta-schedule-${scheduleId}`;
}

export interface DeltaScheduleTickInput {
  tenantId: string;
  scheduleId: string;
}

/** What one tick did: created the next delta, skipped (the previous still runs, or the schedule is gone), or was refused. */
export interface DeltaScheduleTickResult {
  outcome: 'created' | 'skipped_running' | 'refused' | 'gone';
  jobId: string | null;
  follows: string | null;
  errorCode?: string | undefined;
}
