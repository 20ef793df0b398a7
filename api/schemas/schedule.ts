import { z } from '@hono/zod-openapi';
import { ON_CONFLICT } from '../../shared/jobs/delta-options.ts';
import { PAGE_CURSOR } from '../../shared/tenancy/cursor.ts';
import { EVERY_PATTERN, MAX_EVERY_SECONDS, MIN_EVERY_SECONDS } from '../../shared/schedules/schedule-interval.ts';
import { RUN_OUTCOMES } from '../../shared/schedules/schedule-model.ts';
import { cursorQuery } from './common.ts';

const timestamp = z.string().openapi({ format: 'date-time' });

export const CreateScheduleSchema = z.strictObject({
  follows: z.uuid().openapi({
    description: 'The job the first delta follows: a completed job of this tenant (404 otherwise; 422 `delta_follows_unfinished` for an ' +
      'unfinished job or a dry run; 422 `delta_not_supported` for a pair without deltas). Its connections, objects, batching, retry policy ' +
      'and mapping are every delta\'s; each later delta follows the schedule\'s previous completed delta.',
  }),
  every: z.union([
    z.number().int().min(MIN_EVERY_SECONDS).max(MAX_EVERY_SECONDS).openapi({ description: 'Seconds (at least 60)' }),
    z.string().regex(new RegExp(EVERY_PATTERN), 'seconds ≥ 60, 90s / 15m / 6h / 1d, or an ISO-8601 duration (days to seconds) of at least a minute')
      .openapi({ pattern: EVERY_PATTERN, example: '6h', description: '`90s`, `15m`, `6h`, `1d`, or an ISO-8601 duration in days, hours, minutes, seconds (`PT6H`, `P1DT12H`); at least a minute' }),
  ]).openapi({ description: 'The interval. Runs fall on multiples of it since the Unix epoch (UTC), as Temporal interval specs do: `6h` runs at 00:00, 06:00, 12:00 and 18:00 UTC.' }),
  endAt: z.iso.datetime({ offset: true }).optional().openapi({ description: 'No delta starts after this time (e.g. the cutover); 422 `schedule_end_passed` when it has passed' }),
  onConflict: z.enum(ON_CONFLICT).optional().openapi({ description: 'Each delta\'s choice for target records edited since Freight wrote them (default `keep-target`)' }),
}).openapi('CreateScheduleRequest');

const ScheduleShape = {
  id: z.uuid(),
  follows: z.uuid().openapi({ description: 'The job the schedule\'s first delta follows' }),
  everySeconds: z.number().int(),
  endAt: timestamp.nullable(),
  onConflict: z.enum(ON_CONFLICT),
  paused: z.boolean().openapi({ description: 'As last set through the API (the Temporal schedule\'s own state is in the detail)' }),
  sourceConnectionId: z.uuid(),
  targetConnectionId: z.uuid(),
  namespace: z.string().openapi({ description: 'The tenant\'s Temporal namespace: `temporal schedule describe --namespace <namespace> --schedule-id <temporalScheduleId>`' }),
  temporalScheduleId: z.string().openapi({ example: 'delta-schedule-0d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11' }),
  error: z.string().nullable().openapi({ description: 'Set while the Temporal schedule could not be created' }),
  createdBy: z.string(),
  createdAt: timestamp,
};

export const ScheduleSchema = z.object(ScheduleShape).openapi('Schedule', { description: 'A delta schedule: a Temporal Schedule creating delta jobs.' });

const TemporalStateSchema = z.object({
  paused: z.boolean(),
  note: z.string().nullable(),
  nextActionTimes: z.array(timestamp),
  recentActions: z.array(z.object({ scheduledAt: timestamp, takenAt: timestamp, workflowId: z.string() })),
  runningActions: z.array(z.string()),
  actionsTaken: z.number().int(),
  actionsSkippedOverlap: z.number().int(),
}).openapi('TemporalScheduleState');

const ScheduleRunSchema = z.object({
  tickId: z.string().openapi({ description: 'The tick workflow\'s id (the schedule\'s id and the scheduled time)' }),
  outcome: z.enum(RUN_OUTCOMES).openapi({ description: '`created` a delta job; `skipped_running`: the previous delta still ran; `refused`: the job service refused it (`errorCode`)' }),
  follows: z.uuid().nullable(),
  errorCode: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: timestamp,
  job: z.object({
    id: z.uuid(), status: z.string(), createdAt: timestamp, finishedAt: timestamp.nullable(),
    counts: z.record(z.string(), z.number()).nullable().openapi({ description: 'The delta\'s counts once it finished (as `GET /v1/jobs/{id}/delta`)' }),
  }).nullable(),
}).openapi('ScheduleRun');

export const ScheduleDetailSchema = z.object({
  ...ScheduleShape,
  temporal: TemporalStateSchema.nullable().openapi({ description: 'The Temporal schedule\'s state; null when Temporal did not answer' }),
  runs: z.array(ScheduleRunSchema).openapi({ description: 'The ticks, newest first (the last 50)' }),
}).openapi('ScheduleDetail');

export const SchedulePageSchema = z.object({ data: z.array(ScheduleSchema), nextCursor: z.string().nullable() }).openapi('SchedulePage');

export const ScheduleListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: cursorQuery(PAGE_CURSOR),
});
