import { z } from '@hono/zod-openapi';
import { DiffCountsSchema } from './diff.ts';
import { ARTIFACT_KINDS } from '../../shared/reports/report-keys.ts';

const Counts = z.record(z.string(), z.number().int());

export const JobReportSchema = z.object({
  jobId: z.uuid(),
  status: z.string().openapi({ example: 'completed_with_errors' }),
  generatedAt: z.string().openapi({ format: 'date-time' }),
  createdAt: z.string().openapi({ format: 'date-time' }),
  startedAt: z.string().nullable().openapi({ format: 'date-time' }),
  finishedAt: z.string().nullable().openapi({ format: 'date-time' }),
  durationSeconds: z.number().nullable(),
  recordsPerMinute: z.number().nullable().openapi({ description: 'Records with a final outcome per minute of duration' }),
  totals: z.object({
    records: z.number().int(), processed: z.number().int(), succeeded: z.number().int(), failed: z.number().int(),
    retrying: z.number().int(), skipped: z.number().int(), batches: z.number().int(),
    degraded: z.number().int().openapi({ description: 'Succeeded records migrated in a documented degraded form (part of succeeded)' }),
  }),
  degraded: z.array(z.object({ object: z.string(), reason: z.string(), count: z.number().int() }))
    .openapi({ description: 'Degraded records by object and reason, most first' }),
  dryRunDiff: z.object({ counts: DiffCountsSchema, byObject: z.record(z.string(), DiffCountsSchema) }).nullable()
    .openapi({ description: 'A dry run with a diff: records per class (create, update, unchanged, conflict, refused, skipped); null otherwise' }),
  counts: z.record(z.string(), Counts).openapi({ description: 'Record-log rows per object and status (same shape as the job\'s counts)' }),
  batches: Counts.openapi({ description: 'Batches per status' }),
  retries: z.object({ total: z.number().int(), records: z.number().int(), batches: z.number().int() })
    .openapi({ description: 'attempts − 1 summed over records and over batches: real retries only (0 for a clean job)' }),
  referenceRewrites: z.object({ records: z.number().int(), batches: z.number().int() })
    .openapi({ description: 'References-pass rewrites (records written before what they reference, rewritten once at the end), apart from retries' }),
  failures: z.object({
    byKind: z.array(z.object({ kind: z.string(), records: z.number().int(), batches: z.number().int() })),
    byObject: z.array(z.object({ object: z.string(), records: z.number().int(), batches: z.number().int() })),
    byBatch: z.array(z.object({
      batchId: z.string(), object: z.string(), failedRecords: z.number().int(), batchFailed: z.boolean(),
      errorKind: z.string().nullable(), errorMessage: z.string().nullable(),
    })).openapi({ description: 'Batches with failures, whole-batch failures and then most failed records first (at most 500)' }),
    topMessages: z.array(z.object({ message: z.string(), kind: z.string(), count: z.number().int() })).openapi({ description: 'At most 20' }),
  }),
}).openapi('JobReport');

export const ArtifactListSchema = z.object({
  data: z.array(z.object({
    key: z.string().openapi({ example: 'tenants/…/jobs/…/report/report.json' }),
    kind: z.enum(ARTIFACT_KINDS).openapi({
      description: 'report_json / report_csv: the job report; reconciliation_json / reconciliation_csv: one pair per reconciliation run ' +
        '(`reconciliation-<seq>`); batch_archive: each batch\'s records as read with their results',
    }),
    size: z.number().int(),
    lastModified: z.string().openapi({ format: 'date-time' }),
    url: z.string().openapi({ description: 'Presigned GET URL (no credentials needed until expiresAt)' }),
    expiresAt: z.string().openapi({ format: 'date-time' }),
  })),
}).openapi('JobArtifactList');

export const EventsQuery = z.object({
  lastEventId: z.string().regex(/^\d{1,18}$/).optional().openapi({
    description: 'Resume after this event id, for clients that cannot send the Last-Event-ID header (the header wins)',
  }),
});
