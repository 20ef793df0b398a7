import { z } from '@hono/zod-openapi';
import { PAGE_CURSOR } from '../../shared/tenancy/cursor.ts';
import { cursorQuery } from './common.ts';
import { ERROR_KINDS } from '../../shared/error-kinds.ts';
import { BATCH_STATUSES, RECORD_STATUSES } from '../../shared/jobs/job-progress.ts';
import { DEFAULT_RETRY_POLICY, JOB_OBJECTS, JOB_PHASES, MAX_METADATA_BYTES } from '../../shared/jobs/job-request.ts';
import { PAIRS } from '../../shared/pairs/index.ts';
import { JOB_STATUSES } from '../../workflows/migration-job/definitions.ts';
import { MappingOverridesSchema } from './mapping.ts';
import { ON_CONFLICT, SOURCE_FILTERS, TARGET_EDITS } from '../../shared/jobs/delta-options.ts';

const RetryPolicyFields = {
  maxAttempts: z.number().int().min(1).max(100),
  initialIntervalMs: z.number().int().min(1).max(3_600_000),
  backoffCoefficient: z.number().min(1).max(10),
  maximumIntervalMs: z.number().int().min(1).max(86_400_000),
  nonRetryable: z.array(z.enum(ERROR_KINDS)).max(ERROR_KINDS.length * 2)
    .openapi({ description: 'Error kinds that fail a batch at once (on top of those never worth retrying)' }),
};

export const RetryPolicySchema = z.object({ ...RetryPolicyFields, nonRetryable: z.array(z.string()) }).openapi('RetryPolicy');

const jsonObject = z.record(z.string(), z.unknown());

// What each pair offers, for the API document (from the pair data).
const PAIR_LIST = PAIRS.map((p) => `${p.source} → ${p.target}`).join(', ');
const OBJECTS_BY_PAIR = PAIRS.map((p) => `${p.displayName}: ${p.objects.map((o) => o.kind).join(', ')}`).join('; ');
const PHASES_BY_PAIR = PAIRS.map((p) => `${p.displayName}: ${p.phases.map((ph) => `${ph.name} = ${ph.objects.join(', ')}`).join('; ')}`).join(' | ');

export const CreateJobSchema = z
  .strictObject({
    sourceConnectionId: z.uuid().openapi({ description: `The source connection: its type and the target's name the connector pair (${PAIR_LIST})` }),
    targetConnectionId: z.uuid().openapi({ description: 'The target connection; an unsupported pair of types is refused with 422' }),
    objects: z.array(z.enum(JOB_OBJECTS)).min(1).max(JOB_OBJECTS.length * 2).optional()
      .openapi({ description: `Object kinds of the job's pair (${OBJECTS_BY_PAIR}). Default: all of the pair's. Run in dependency order whatever the order given; a kind the pair does not have is refused with 422 \`not_in_pair\`.`, example: ['organizations', 'persons'] }),
    // Checked against the job's pair once its connections are known (422), like a pair's objects.
    phases: z.array(z.enum(JOB_PHASES)).min(1).max(JOB_PHASES.length * 2).optional()
      .openapi({ description: `The pair's phases to run (${PHASES_BY_PAIR}), i.e. their object kinds; with \`objects\` too, the job moves both. A phase the pair does not have: 422 \`not_in_pair\`.`, example: ['records'] }),
    batchSize: z.number().int().min(1).max(1000).optional().openapi({ default: 100 }),
    concurrency: z.number().int().min(1).max(64).optional().openapi({ default: 4, description: 'Batches loaded in parallel' }),
    retryPolicy: z.strictObject({
      maxAttempts: RetryPolicyFields.maxAttempts.optional().openapi({ default: DEFAULT_RETRY_POLICY.maxAttempts }),
      initialIntervalMs: RetryPolicyFields.initialIntervalMs.optional().openapi({ default: DEFAULT_RETRY_POLICY.initialIntervalMs }),
      backoffCoefficient: RetryPolicyFields.backoffCoefficient.optional().openapi({ default: DEFAULT_RETRY_POLICY.backoffCoefficient }),
      maximumIntervalMs: RetryPolicyFields.maximumIntervalMs.optional().openapi({
        default: DEFAULT_RETRY_POLICY.maximumIntervalMs,
        description: 'The longest wait between attempts. Below initialIntervalMs, every retry waits this long.',
      }),
      nonRetryable: RetryPolicyFields.nonRetryable.optional().openapi({ default: [] }),
    }).optional().openapi({
      description: 'Applied to batch activities; omitted fields take their defaults. The wait before retry n is ' +
        'min(initialIntervalMs × backoffCoefficient^(n−1), maximumIntervalMs); every combination of valid fields is accepted.',
    }),
    dryRun: z.boolean().optional().openapi({ default: false }),
    metadata: jsonObject.optional()
      .refine((m) => m === undefined || Buffer.byteLength(JSON.stringify(m)) <= MAX_METADATA_BYTES, { message: `at most ${MAX_METADATA_BYTES} bytes as JSON` })
      .openapi({ description: `Free-form, kept with the job (at most ${MAX_METADATA_BYTES} bytes)` }),
    mapping: MappingOverridesSchema.optional(),
    proceedOverQuota: z.boolean().optional().openapi({
      default: false,
      description: 'Create the job even when its call plan (`callPlan`) needs more source API calls than the monthly quota has left; ' +
        'without it such a job is refused with 422 `quota_insufficient`.',
    }),
    mode: z.enum(['full', 'delta']).optional().openapi({
      description: '`delta`: a delta pass for cutover. Moves only source records new or changed since the job named by `follows` ' +
        '(content hashes kept with the id map), lists target records edited since Freight wrote them as conflicts and source records ' +
        'deleted at the source (never deleted in the target); see GET /v1/jobs/{jobId}/delta. A pair without deltas answers 422 `delta_not_supported`. ' +
        'Default: `delta` when `follows` is given, else `full` (which ignores `follows`, `onConflict`, `targetEdits` and `sourceFilter`).',
    }),
    follows: z.uuid().optional().openapi({
      description: 'The job a delta follows: a completed job of this tenant and the same connections (404 / 422 `delta_follows_unfinished`, ' +
        '`delta_follows_other_connections`). Omitted with mode: delta: the latest completed job of the connections (409 `delta_nothing_to_follow` when none).',
    }),
    onConflict: z.enum(ON_CONFLICT).optional().openapi({
      default: 'keep-target',
      description: 'With mode: delta: a target record edited since Freight wrote it is left as it is (keep-target) or overwritten (take-source); listed either way',
    }),
    targetEdits: z.enum(TARGET_EDITS).optional().openapi({
      default: 'all',
      description: 'With mode: delta: which records Freight compares with the target for edits made there since it wrote them. ' +
        '`all`: every record it wrote before (one target read each, so an edit of a record unchanged at the source is a conflict too); ' +
        '`changed`: only records changed at the source (fewer reads; a target-only edit is not noticed)',
    }),
    sourceFilter: z.enum(SOURCE_FILTERS).optional().openapi({
      default: 'changes',
      description: 'With mode: delta: `changes` asks the source for records created or changed since the followed job began reading them, ' +
        'where the source API can filter (Affinity v2 notes); `off` reads every record, for when a change the filter cannot see is suspected ' +
        '(a reply or an attachment added to an older note). Deletions of filtered objects are reported only with `off`.',
    }),
  })
  .openapi('CreateJobRequest');

export const CallPlanSchema = z.object({
  system: z.string().openapi({ example: 'affinity' }),
  records: z.record(z.string(), z.number().int()).openapi({ description: 'Records the job reads, by object (counted before creation)' }),
  byObject: z.record(z.string(), z.number().int()).optional()
    .openapi({ description: "The same records by the job's object kinds (the record log's `object`), when the source groups them otherwise" }),
  lines: z.array(z.object({ endpoint: z.string(), calls: z.number().int(), basis: z.string() })).openapi({ description: 'Calls by endpoint' }),
  total: z.number().int().openapi({ description: 'Source API calls the job spends' }),
  countingCalls: z.number().int().openapi({ description: 'Calls already spent counting the account for this plan' }),
  callsPerRecord: z.number().nullable(),
  monthlyRemaining: z.number().int().nullable().openapi({ description: 'Monthly quota left (null: unlimited or not reported)' }),
  monthlyLimit: z.number().int().nullable(),
  monthlyResetSec: z.number().int().nullable(),
  fits: z.boolean().nullable().openapi({ description: 'null when the plan could not be made (see error)' }),
  warning: z.string().nullable(),
  assumptions: z.array(z.string()),
  error: z.string().nullable(),
  plannedAt: z.string().openapi({ format: 'date-time' }),
  eta: z.object({
    phases: z.array(z.object({
      phase: z.string(), objects: z.array(z.string()), sourceCalls: z.number().int(), targetCalls: z.number().int(),
      boundBy: z.string().openapi({ description: 'The limit that sets the phase\'s time (requests, source, comments, invites)' }), ms: z.number().int(),
    })),
    totalMs: z.number().int(),
    targetLines: z.array(z.object({ endpoint: z.string(), calls: z.number().int(), basis: z.string() })),
    targetTotal: z.number().int(),
    targetWrites: z.number().int().optional().openapi({ description: 'Of targetTotal, the writes: what competes for the workspace\'s shared write budget' }),
    limits: z.record(z.string(), z.number()),
  }).optional().openapi({ description: 'Target calls and time per phase (or object kind) under the real limits' }),
  share: z.object({
    workspace: z.string().openapi({ description: 'What the target\'s budget is counted in: `<type>:workspace:<id>` from the connection check, else `<type>:connection:<id>`' }),
    others: z.array(z.object({
      jobId: z.uuid(), status: z.string(), remainingRecords: z.number().int().nullable(), remainingWrites: z.number().int(),
    })).openapi({ description: 'The pending and running jobs of the tenant aimed at the same workspace when the plan was made' }),
    writes: z.number().int().openapi({ description: 'This job\'s target writes' }),
    aloneMs: z.number().int(),
    sharedMs: z.number().int().openapi({ description: 'The ETA with the others sharing the budget' }),
    model: z.string(),
  }).optional().openapi({ description: 'The target\'s write budget shared with the other jobs aimed at the same workspace' }),
}).openapi('CallPlan', { description: 'Source API calls a job needs for the account, against the monthly quota, made at creation' });

export const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces').optional()
    .openapi({ description: 'Idempotency-Key: same key + same body → the existing job (200); same key + different body → 409' }),
});

const timestamp = z.string().openapi({ format: 'date-time' });

export const JobSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(JOB_STATUSES),
    sourceConnectionId: z.uuid(),
    targetConnectionId: z.uuid(),
    objects: z.array(z.string()),
    batchSize: z.number().int(),
    concurrency: z.number().int(),
    retryPolicy: RetryPolicySchema,
    dryRun: z.boolean(),
    kind: z.enum(['migration', 'undo']).openapi({ description: '`undo`: a job that takes back the writes of job `undoOf` (`POST /v1/jobs/{jobId}/undo`)' }),
    undoOf: z.uuid().nullable(),
    force: z.boolean().openapi({ description: 'An undo that restores or deletes records changed in the target since (false for migrations)' }),
    metadata: jsonObject,
    mapping: jsonObject.nullable(),
    namespace: z.string().openapi({ example: 'freight-acme' }),
    workflowId: z.string().openapi({ example: 'job-0d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11' }),
    temporalUiUrl: z.string().openapi({ description: "The job's workflow in Temporal Web UI" }),
    estimatedTotal: z.number().int().nullable(),
    callPlan: CallPlanSchema.nullable(),
    mode: z.enum(['full', 'delta']),
    follows: z.uuid().nullable().openapi({ description: 'A delta: the job it follows' }),
    onConflict: z.enum(ON_CONFLICT).nullable(),
    targetEdits: z.enum(TARGET_EDITS).nullable().openapi({ description: 'A delta: the records it compares with the target for edits (see CreateJobRequest)' }),
    sourceFilter: z.enum(SOURCE_FILTERS).nullable().openapi({ description: 'A delta: whether it asked the source for changes only (see CreateJobRequest)' }),
    error: z.string().nullable(),
    cancelReason: z.string().nullable(),
    createdBy: z.string(),
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
    updatedAt: timestamp,
  })
  .openapi('Job');

const count = z.number().int();

export const JobDetailSchema = JobSchema.extend({
  counts: z.record(z.string(), z.object(Object.fromEntries(RECORD_STATUSES.map((s) => [s, count])) as Record<(typeof RECORD_STATUSES)[number], typeof count>))
    .openapi({ description: 'Record-log rows per object and status' }),
  batches: z.object(Object.fromEntries(BATCH_STATUSES.map((s) => [s, count])) as Record<(typeof BATCH_STATUSES)[number], typeof count>)
    .openapi({ description: 'Batches per status' }),
  degraded: count.openapi({ description: 'Succeeded records migrated in a documented degraded form (part of the succeeded counts)' }),
  progress: z.object({
    processed: count.openapi({ description: 'Records with a final outcome (succeeded, failed, skipped)' }),
    estimatedTotal: count.nullable().openapi({
      description: "Records the job will process: its call plan's counts at creation, each replaced by the count read once that object kind is " +
        'exhausted (exact once every kind is read); null while unknown (a pair without a call plan, a plan that could not count: see estimateNote)',
    }),
    estimateBasis: z.enum(['call_plan', 'extracted']).nullable()
      .openapi({ description: '`call_plan`: the plan\'s counts, refined kind by kind; `extracted`: every kind read, exact; null without an estimate' }),
    estimateNote: z.string().openapi({ description: 'Why the estimate is what it is, or why there is none' }),
    percent: z.number().nullable().openapi({
      description: 'processed ÷ estimatedTotal × 100, never above 100 and never below a percent shown before (an estimate that grows does not pull it back); null without an estimate',
    }),
    elapsedSeconds: count.nullable(),
    recordsPerMinute: count.nullable(),
    etaSeconds: count.nullable(),
  }),
  runs: z.array(z.object({
    seq: count.openapi({ description: '1 = the first run' }),
    reason: z.enum(['start', 'resume', 'reopen']).openapi({ description: 'start: created; resume: a failed job resumed; reopen: a retry after the workflow closed' }),
    workflowId: z.string(),
    runId: z.string().nullable().openapi({ description: 'Temporal run id of the execution (null for a run whose start is not yet acknowledged)' }),
    status: z.enum(JOB_STATUSES).nullable().openapi({ description: 'The job status the run ended with; null while it runs' }),
    startedAt: z.string().openapi({ format: 'date-time' }),
    endedAt: z.string().nullable().openapi({ format: 'date-time' }),
  })).openapi({ description: "The job's workflow executions, oldest first (same workflow id; each resume or reopen adds one)" }),
  live: z.looseObject({
    status: z.string(), object: z.string().nullable(), inFlight: z.array(z.string()), queued: count, paused: z.boolean(), cancelRequested: z.boolean(),
  }).optional().openapi({ description: "The workflow's own progress query answer; absent when it did not answer within about a second" }),
}).openapi('JobDetail');

export const JobPageSchema = z.object({ data: z.array(JobSchema), nextCursor: z.string().nullable() }).openapi('JobPage');

export const JobListQuery = z.object({
  status: z.enum(JOB_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: cursorQuery(PAGE_CURSOR),
});

export const JobGetQuery = z.object({
  live: z.enum(['true', 'false']).default('false').openapi({
    description: "Also ask the job's workflow for its own progress (`live`). Costs a round trip to a worker, up to ~1 s when none answers; the counts and progress from the record log are always there.",
  }),
});
