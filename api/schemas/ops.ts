import { z } from '@hono/zod-openapi';

const RecordCounts = z.object({ total: z.number(), succeeded: z.number(), failed: z.number(), skipped: z.number(), retrying: z.number() });

export const TenantStatsSchema = z
  .object({
    tenantId: z.uuid(),
    windowMinutes: z.number(),
    recordsPerMinuteWindow: z.number().openapi({ description: 'Records of the batches that finished within the window ÷ its minutes' }),
    recordsPerMinuteCompletedJobs: z.number().nullable().openapi({ description: 'Over every finished job: records ÷ (finished − started)' }),
    records: RecordCounts,
    failureRate: z.number().openapi({ description: 'failed ÷ (succeeded + failed + skipped)' }),
    averageRetriesPerJob: z.number().openapi({ description: 'Extra record and batch attempts per job (references-pass rewrites are not attempts)' }),
    recordRetryRate: z.number().openapi({ description: 'Σ(attempts − 1) ÷ Σ attempts over the record log; references-pass rewrites are not attempts, so a clean job adds 0' }),
    jobs: z.object({ total: z.number(), byStatus: z.record(z.string(), z.number()) }),
    batchesInFlight: z.number(),
  })
  .openapi('TenantStats');

export const WorkerStatusSchema = z
  .object({
    workerId: z.string(),
    hostname: z.string(),
    pid: z.number(),
    taskQueue: z.string(),
    namespaces: z.array(z.string()),
    startedAt: z.string().openapi({ format: 'date-time' }),
    lastSeenAt: z.string().openapi({ format: 'date-time' }),
    stoppedAt: z.string().nullable(),
    live: z.boolean().openapi({ description: 'Heartbeat within the last 30 s and not stopped' }),
  })
  .openapi('WorkerStatus');

export const UsageSchema = z
  .object({
    generatedAt: z.string().openapi({ format: 'date-time' }),
    windowMinutes: z.number(),
    tenants: z.array(TenantStatsSchema.extend({ slug: z.string(), name: z.string() })),
    workers: z.array(WorkerStatusSchema),
  })
  .openapi('Usage');

export const StatsQuerySchema = z.object({
  windowMinutes: z.coerce.number().int().min(1).max(7 * 24 * 60).default(60)
    .openapi({ description: 'Window of `recordsPerMinuteWindow`, in minutes' }),
});
