import { createRoute, z } from '@hono/zod-openapi';
import { secured } from '../../openapi.ts';
import { AUTHENTICATED_ERRORS, errorResponses } from '../../schemas/common.ts';
import { EventsQuery } from '../../schemas/report.ts';
import { JobParams } from './routes.ts';

/** One event of the stream (OpenAPI 3.1: a `text/event-stream` schema describes each event, not the whole stream). */
const JobStreamEvent = z.object({
  event: z.string().min(1).openapi({ description: '`progress`, `status`, `batch`, another job event type, or `error` (the stream failed: reconnect)' }),
  data: z.string().openapi({ description: 'The event\'s JSON document, as text' }),
  id: z.string().regex(/^[0-9]+$/).optional().openapi({ description: "The event's number within this job; absent on a resumed stream's snapshot and on `error`" }),
}).openapi('JobStreamEvent');

export const jobEventsRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/{jobId}/events',
  tags: ['Jobs'],
  summary: "A job's live updates (Server-Sent Events)",
  description:
    'Events `status` {status}, `batch` {batchId, object, status, succeeded, failed, attempt} and `progress` ' +
    '{processed, total, estimatedTotal, percent, perObject} (percent as in the job detail: null while the job has no ' +
    'estimated total, never decreasing), each with JSON data and `id:` = the event\'s number within this job ' +
    '(1, 2, 3 …; every job counts from 1). On connect a `progress` and a ' +
    '`status` snapshot come first, then every event after `Last-Event-ID` (header, or `?lastEventId=`); without one, ' +
    'only new events. A comment line every 15 s keeps proxies from closing the connection. The stream ends once the ' +
    'job is in a terminal status and its final events were sent.',
  request: { params: JobParams, query: EventsQuery },
  responses: {
    200: { description: 'An event stream', content: { 'text/event-stream': { schema: JobStreamEvent } } },
    ...errorResponses(...AUTHENTICATED_ERRORS, 404),
  },
}));
