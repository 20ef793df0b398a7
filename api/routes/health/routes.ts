import { createRoute, z } from '@hono/zod-openapi';
import { jsonResponse } from '../../schemas/common.ts';

const CheckSchema = z.object({
  status: z.enum(['up', 'down']),
  latencyMs: z.number(),
  error: z.string().optional(),
});

export const ReadySchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.object({ postgres: CheckSchema, temporal: CheckSchema, s3: CheckSchema }),
    workers: z.object({
      live: z.number().openapi({ description: 'Worker processes with a heartbeat in the last 30 s' }),
      lastSeenAt: z.string().nullable().openapi({ description: 'Latest heartbeat of any worker' }),
    }).nullable().openapi({ description: 'Informational: no live worker does not make the API unready (jobs wait in Temporal). Null when PostgreSQL is down.' }),
  })
  .openapi('Readiness');

export const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Operations'],
  summary: 'Liveness',
  description: 'Answers as long as the process serves HTTP; touches no dependency. Public.',
  responses: { 200: jsonResponse(z.object({ status: z.literal('ok') }), 'Alive') },
});

export const readyRoute = createRoute({
  method: 'get',
  path: '/ready',
  tags: ['Operations'],
  summary: 'Readiness',
  description:
    'PostgreSQL (`select 1`), Temporal (GetSystemInfo) and S3 (HeadBucket), each with status and latency, plus worker liveness ' +
    '(`workers.live`, from the heartbeat table; reported, never a reason for 503). Public.',
  responses: {
    200: jsonResponse(ReadySchema, 'Every dependency is up'),
    503: jsonResponse(ReadySchema, 'At least one dependency is down'),
  },
});
