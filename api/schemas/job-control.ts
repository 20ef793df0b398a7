import { z } from '@hono/zod-openapi';
import { BATCH_CURSOR, RECORD_CURSOR } from '../../shared/tenancy/cursor.ts';
import { cursorQuery, textField } from './common.ts';
import { JOB_STATUSES } from '../../workflows/migration-job/definitions.ts';
import { BATCH_STATUSES, RECORD_STATUSES } from '../../shared/jobs/job-progress.ts';

export const CancelJobSchema = z.strictObject({ reason: textField(500).optional() }).openapi('CancelJobRequest');

const NewRunSchema = z
  .object({
    seq: z.number().int().openapi({ description: "The run's number in the job's `runs` (1 = the first run)" }),
    runId: z.string().openapi({ description: 'Temporal run id of the new execution (same workflow id)' }),
  })
  .openapi('JobNewRun');

export const SignalResultSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(JOB_STATUSES).openapi({ description: 'Status when the request was taken; the workflow applies it asynchronously' }),
    requested: z.enum(['cancel', 'pause', 'resume']),
    run: NewRunSchema.optional().openapi({ description: 'Set when resuming a failed job started a new run of it' }),
  })
  .openapi('JobSignalResult');

export const RetryJobSchema = z.strictObject({ scope: z.enum(['failed-records', 'failed-batches']) }).openapi('RetryJobRequest');

export const RetryAnswerSchema = z
  .object({
    accepted: z.boolean(),
    queued: z.number().int().openapi({ description: 'Batches queued by this request' }),
    reason: z.string().optional(),
    run: NewRunSchema.optional().openapi({ description: "Set when the job's workflow had closed and the retry started a new run of the job" }),
  })
  .openapi('RetryAnswer');

export const BatchIdParam = z.string().min(1).max(200).regex(/^[A-Za-z0-9_.:-]+$/)
  .openapi({ param: { name: 'batchId', in: 'path' }, description: 'Batch id, "<object>-<seq>"', example: 'persons-000003' });

const timestamp = z.string().openapi({ format: 'date-time' });

export const BatchSchema = z
  .object({
    id: z.string(), object: z.string(), seq: z.number().int(), status: z.enum(BATCH_STATUSES),
    recordCount: z.number().int(), succeeded: z.number().int(), failed: z.number().int(), skipped: z.number().int(),
    attempts: z.number().int().openapi({ description: 'Real attempts: the first run and its retries (1 for a clean batch)' }),
    referenceRewrites: z.number().int().openapi({ description: 'References-pass loads of the batch: part of a clean job, not retries' }),
    errorKind: z.string().nullable(), errorMessage: z.string().nullable(),
    createdAt: timestamp, firstStartedAt: timestamp.nullable(), lastStartedAt: timestamp.nullable(), finishedAt: timestamp.nullable(),
    durationMs: z.number().int().nullable(),
  })
  .openapi('JobBatch');

export const RecordSchema = z
  .object({
    object: z.string(), sourceId: z.string(), batchId: z.string(), status: z.enum(RECORD_STATUSES),
    targetObject: z.string().nullable(), targetId: z.string().nullable(), action: z.string().nullable(),
    errorKind: z.string().nullable(), errorMessage: z.string().nullable(), note: z.string().nullable(),
    degraded: z.string().nullable().openapi({ description: 'Succeeded in a documented degraded form: why (null otherwise)' }),
    attempts: z.number().int().openapi({ description: 'Real attempts: the first write and its retries' }),
    referenceRewrites: z.number().int().openapi({ description: 'Rewrites by the references pass (the record was written before what it references): not retries' }),
    firstAttemptAt: timestamp, lastAttemptAt: timestamp,
  })
  .openapi('JobRecord');

export const BatchPageSchema = z.object({ data: z.array(BatchSchema), nextCursor: z.string().nullable() }).openapi('JobBatchPage');
export const RecordPageSchema = z.object({ data: z.array(RecordSchema), nextCursor: z.string().nullable() }).openapi('JobRecordPage');

export const BatchListQuery = z.object({
  status: z.enum(BATCH_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: cursorQuery(BATCH_CURSOR),
});

export const RecordListQuery = z.object({
  status: z.enum(RECORD_STATUSES).optional().openapi({ description: '`failed`: the dead-letter view' }),
  object: z.string().regex(/^[a-z_-]{1,40}$/).optional(),
  degraded: z.enum(['true', 'false']).transform((v) => v === 'true').optional()
    .openapi({ description: '`true`: only records migrated in a degraded form; `false`: only the others' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: cursorQuery(RECORD_CURSOR),
});
