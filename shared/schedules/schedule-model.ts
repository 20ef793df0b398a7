import type { OnConflict } from '../jobs/delta-options.ts';
import type { CreateJobInput } from '../jobs/job-request.ts';
import type { TemporalScheduleState } from './schedule-workflows.ts';

/** What each delta of a schedule asks the job service for, taken from the followed job at creation. */
export type DeltaJobTemplate = Pick<CreateJobInput, 'sourceConnectionId' | 'targetConnectionId' | 'objects' | 'batchSize' | 'concurrency' | 'retryPolicy' | 'mapping'>;

export interface ScheduleRow {
  id: string;
  tenant_id: string;
  namespace: string;
  temporal_schedule_id: string;
  follows: string;
  every_seconds: number;
  end_at: Date | null;
  on_conflict: OnConflict;
  job_template: DeltaJobTemplate;
  paused: boolean;
  idempotency_key: string | null;
  request_hash: string;
  error: string | null;
  created_by: string;
  created_at: Date;
  deleted_at: Date | null;
}

export const RUN_OUTCOMES = ['created', 'skipped_running', 'refused'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

export interface ScheduleRunRow {
  tick_id: string;
  outcome: RunOutcome;
  job_id: string | null;
  follows: string | null;
  error_code: string | null;
  error: string | null;
  created_at: Date;
}

/** A delta schedule as the API shows it. */
export interface Schedule {
  id: string;
  follows: string;
  everySeconds: number;
  endAt: string | null;
  onConflict: OnConflict;
  paused: boolean;
  sourceConnectionId: string;
  targetConnectionId: string;
  namespace: string;
  temporalScheduleId: string;
  error: string | null;
  createdBy: string;
  createdAt: string;
}

export interface ScheduleRun {
  tickId: string;
  outcome: RunOutcome;
  follows: string | null;
  errorCode: string | null;
  error: string | null;
  createdAt: string;
  /** The delta job the tick created, with its delta counts once it finished. */
  job: { id: string; status: string; createdAt: string; finishedAt: string | null; counts: Record<string, number> | null } | null;
}

export interface ScheduleDetail extends Schedule {
  /** The Temporal schedule as `temporal schedule describe` shows it; null when Temporal did not answer (or has none). */
  temporal: TemporalScheduleState | null;
  /** The ticks, newest first (the last 50). */
  runs: ScheduleRun[];
}

export function toSchedule(row: ScheduleRow): Schedule {
  return {
    id: row.id,
    follows: row.follows,
    everySeconds: row.every_seconds,
    endAt: row.end_at?.toISOString() ?? null,
    onConflict: row.on_conflict,
    paused: row.paused,
    sourceConnectionId: row.job_template.sourceConnectionId,
    targetConnectionId: row.job_template.targetConnectionId,
    namespace: row.namespace,
    temporalScheduleId: row.temporal_schedule_id,
    error: row.error,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
}
