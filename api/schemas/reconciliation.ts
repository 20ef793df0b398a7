import { z } from '@hono/zod-openapi';
import { DIFFERENCE_KINDS } from '../../shared/reconcile/reconcile-model.ts';
import { RECONCILIATION_STATUSES } from '../../workflows/reconcile-job/definitions.ts';

const int = () => z.number().int();
const Totals = z.object({ differences: int(), ...Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, int()])) as Record<(typeof DIFFERENCE_KINDS)[number], z.ZodNumber> })
  .openapi({ description: 'Differences of every kind, and per kind' });

export const ReconciliationRunSchema = z.object({
  seq: int().openapi({ description: 'The run number (1, 2, …)' }),
  trigger: z.enum(['auto', 'manual']).openapi({ description: 'auto: started when the job finished; manual: POST …/reconcile' }),
  status: z.enum(RECONCILIATION_STATUSES),
  workflowId: z.string().openapi({ example: 'reconcile-<jobId>-…' }),
  differences: int().nullable(),
  totals: Totals.nullable(),
  error: z.string().nullable().openapi({ description: 'Why a run failed, or why the pair does not support reconciliation' }),
  createdAt: z.string().openapi({ format: 'date-time' }),
  finishedAt: z.string().nullable().openapi({ format: 'date-time' }),
}).openapi('ReconciliationRun');

export const DifferenceSchema = z.object({
  kind: z.enum(DIFFERENCE_KINDS),
  object: z.string().openapi({ example: 'persons' }),
  sourceId: z.string().nullable(),
  targetIds: z.array(z.string()),
  field: z.string().nullable(),
  expected: z.string().nullable(),
  actual: z.string().nullable(),
  reason: z.string().nullable().openapi({ description: "For a missing record, the record log's outcome (e.g. `failed: validation: …`)" }),
}).openapi('ReconciliationDifference');

export const ReconciliationReportSchema = z.object({
  jobId: z.uuid(),
  seq: int(),
  trigger: z.enum(['auto', 'manual']),
  startedAt: z.string().openapi({ format: 'date-time' }),
  finishedAt: z.string().openapi({ format: 'date-time' }),
  objects: z.record(z.string(), z.object({
    expected: int(), present: int(), missing: int(), skippedAsLogged: int(), duplicates: int(), mismatches: int(), unexpected: int(), foreign: int(),
  })).openapi({ description: 'Per object kind: source records expected in the target, found once, missing, … (foreign = the customer\'s own rows, only counted)' }),
  references: z.object({ checked: int(), dangling: int() }),
  links: z.record(z.string(), z.object({ checked: int(), right: int(), wrong: int(), missing: int() })),
  calls: z.record(z.string(), int()).openapi({ description: 'Requests the comparison sent to each API' }),
  totals: Totals,
  differences: z.array(DifferenceSchema),
}).openapi('ReconciliationReport');

export const ReconciliationSchema = z.object({
  latest: ReconciliationRunSchema.extend({ report: ReconciliationReportSchema.nullable() }).nullable()
    .openapi({ description: 'The newest run (or the one asked for with `seq`), with its report once completed' }),
  runs: z.array(ReconciliationRunSchema).openapi({ description: 'Every run, newest first' }),
}).openapi('Reconciliation');

export const ReconciliationQuery = z.object({
  seq: z.coerce.number().int().min(1).optional().openapi({ param: { name: 'seq', in: 'query' }, description: 'A given run instead of the newest' }),
});
