import { z } from '@hono/zod-openapi';
import { CallPlanSchema } from './job.ts';

const CheckSummarySchema = z.object({
  ok: z.boolean(),
  failed: z.array(z.string()).openapi({ description: 'Checks that failed: a job would be refused (422 connection_check_failed)' }),
  workspace: z.string().nullable().openapi({ description: 'The account or workspace the credentials open' }),
});

export const JobPlanSchema = z.object({
  pairId: z.string().openapi({ example: 'affinity-attio' }),
  sourceConnectionId: z.uuid(),
  targetConnectionId: z.uuid(),
  objects: z.array(z.string()).openapi({ description: 'The object kinds the job would move, in the order it moves them' }),
  counts: z.record(z.string(), z.number().int()).openapi({ description: 'Records per object kind, counted on the source (empty when the plan could not be made)' }),
  callPlan: CallPlanSchema.nullable().openapi({ description: 'The plan a job of this request would be created with and keep (`callPlan` of the job); null when its pair makes none' }),
  etaSeconds: z.number().int().nullable().openapi({ description: 'Under the real limits, with the other jobs aimed at the same target workspace sharing its budget; null without an ETA' }),
  aloneEtaSeconds: z.number().int().nullable().openapi({ description: 'The same job alone on the workspace' }),
  checks: z.object({ source: CheckSummarySchema, target: CheckSummarySchema }).nullable()
    .openapi({ description: 'Both connections checked as at job creation (the details: POST /v1/connections/{id}/test)' }),
  warnings: z.array(z.string()).openapi({ description: 'Failed checks, a quota the job does not fit, a plan that could not be made, a shared budget' }),
  plannedAt: z.string().openapi({ format: 'date-time' }),
}).openapi('JobPlan');
