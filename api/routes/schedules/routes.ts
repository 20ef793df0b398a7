import { createRoute, z } from '@hono/zod-openapi';
import { secured } from '../../openapi.ts';
import { AUTHENTICATED_ERRORS, errorResponses, jsonBody, jsonResponse, UuidParam } from '../../schemas/common.ts';
import { IdempotencyHeaders } from '../../schemas/job.ts';
import { CreateScheduleSchema, ScheduleDetailSchema, ScheduleListQuery, SchedulePageSchema, ScheduleSchema } from '../../schemas/schedule.ts';

const ScheduleParams = z.object({ scheduleId: UuidParam('scheduleId', 'Schedule id') });

export const createScheduleRoute = createRoute(secured(['engineer'], {
  method: 'post',
  path: '/',
  tags: ['Schedules'],
  summary: 'Create a delta schedule',
  description:
    "Creates a Temporal Schedule in the tenant's namespace (`delta-schedule-<id>`, overlap policy SKIP) whose every run creates the next " +
    'delta job through the same path as `POST /v1/jobs` (checks, call plan, audit): mode `delta`, following the schedule\'s previous ' +
    'completed delta (its `follows` the first time). A run while the previous delta still runs creates nothing (`skipped_running`). ' +
    'With an `Idempotency-Key`, repeating the same request answers 200 with the existing schedule; a different body 409. If Temporal is ' +
    'unavailable: 503 with `details.scheduleId`, the schedule saved with `error` set until the request is repeated.',
  request: { headers: IdempotencyHeaders, body: jsonBody(CreateScheduleSchema, 'The schedule to create') },
  responses: {
    201: jsonResponse(ScheduleSchema, 'Created; its Temporal schedule runs'),
    200: jsonResponse(ScheduleSchema, 'Repeated request (same Idempotency-Key and body): the existing schedule'),
    ...errorResponses(...AUTHENTICATED_ERRORS, 404, 409, 413, 415, 422, 503),
  },
}));

export const listSchedulesRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/',
  tags: ['Schedules'],
  summary: 'List delta schedules',
  description: 'Newest first, keyset-paginated; deleted schedules are not listed.',
  request: { query: ScheduleListQuery },
  responses: { 200: jsonResponse(SchedulePageSchema, 'A page of schedules'), ...errorResponses(...AUTHENTICATED_ERRORS) },
}));

export const getScheduleRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/{scheduleId}',
  tags: ['Schedules'],
  summary: 'Get a delta schedule',
  description: "With the Temporal schedule's state (paused, next run times, recent actions) and its runs: the delta jobs it created with their counts.",
  request: { params: ScheduleParams },
  responses: { 200: jsonResponse(ScheduleDetailSchema, 'The schedule'), ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
}));

const control = (kind: 'pause' | 'unpause', summary: string, description: string) => createRoute(secured(['engineer'], {
  method: 'post',
  path: `/{scheduleId}/${kind}`,
  tags: ['Schedules'],
  summary,
  description,
  request: { params: ScheduleParams },
  responses: { 200: jsonResponse(ScheduleSchema, 'The schedule'), ...errorResponses(...AUTHENTICATED_ERRORS, 404, 503) },
}));

export const pauseScheduleRoute = control('pause', 'Pause a delta schedule', 'Pauses the Temporal schedule: no run starts until it is unpaused (a delta already running goes on). Repeating it is harmless.');
export const unpauseScheduleRoute = control('unpause', 'Unpause a delta schedule', 'Runs resume at the next interval. Repeating it is harmless.');

export const deleteScheduleRoute = createRoute(secured(['engineer'], {
  method: 'delete',
  path: '/{scheduleId}',
  tags: ['Schedules'],
  summary: 'Delete a delta schedule',
  description: 'Deletes the Temporal schedule (no run starts any more); the delta jobs it created stay.',
  request: { params: ScheduleParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(...AUTHENTICATED_ERRORS, 404, 503) },
}));
