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
  description: 'PostgreSQL (`select 1`), Temporal (GetSystemInfo) and S3 (HeadBucket), each with status and latency. Public.',
  responses: {
    200: jsonResponse(ReadySchema, 'Every dependency is up'),
    503: jsonResponse(ReadySchema, 'At least one dependency is down'),
  },
});
