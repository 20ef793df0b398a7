import { z } from '@hono/zod-openapi';
import { DIFF_CLASSES } from '../../shared/jobs/dry-run-diff.ts';
import { RECORD_CURSOR } from '../../shared/tenancy/cursor.ts';
import { cursorQuery } from './common.ts';

const counts = z.object(Object.fromEntries(DIFF_CLASSES.map((c) => [c, z.number().int()])) as Record<(typeof DIFF_CLASSES)[number], z.ZodNumber>);

export const DiffCountsSchema = counts.openapi('DryRunDiffCounts');

export const FieldChangeSchema = z
  .object({
    attribute: z.string().openapi({ description: 'Target attribute slug' }),
    old: z.array(z.unknown()).openapi({ description: 'Its values in the target now' }),
    new: z.array(z.unknown()).openapi({ description: 'Its values as a real run would write them' }),
  })
  .openapi('DryRunFieldChange');

export const DiffRecordSchema = z
  .object({
    object: z.string(), sourceId: z.string(), class: z.enum(DIFF_CLASSES),
    targetObject: z.string().nullable(), targetId: z.string().nullable().openapi({ description: 'The matched target record (update, unchanged, conflict)' }),
    changes: z.array(FieldChangeSchema).openapi({ description: 'For an update: each field that would change' }),
    reason: z.string().nullable().openapi({ description: 'Why a record is a conflict or refused' }),
    note: z.string().nullable(),
  })
  .openapi('DryRunDiffRecord');

export const DiffPageSchema = z
  .object({
    dryRun: z.boolean().openapi({ description: 'false: the job wrote to its target; it has no diff' }),
    counts: DiffCountsSchema.openapi({ description: 'Records per class over the whole job (filters do not apply)' }),
    byObject: z.record(z.string(), DiffCountsSchema),
    data: z.array(DiffRecordSchema),
    nextCursor: z.string().nullable(),
  })
  .openapi('DryRunDiffPage');

const filters = {
  class: z.enum(DIFF_CLASSES).optional().openapi({ description: 'Only records of this class' }),
  object: z.string().regex(/^[a-z_-]{1,40}$/).optional(),
};

export const DiffQuery = z.object({ ...filters, limit: z.coerce.number().int().min(1).max(1000).default(100), cursor: cursorQuery(RECORD_CURSOR) });
export const DiffCsvQuery = z.object(filters);
