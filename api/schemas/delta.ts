import { z } from '@hono/zod-openapi';
import { ON_CONFLICT } from '../../shared/jobs/delta-options.ts';

const count = z.number().int();

export const DeltaSummarySchema = z.object({
  jobId: z.uuid(),
  follows: z.uuid().openapi({ description: 'The job this delta follows' }),
  onConflict: z.enum(ON_CONFLICT),
  status: z.string(),
  finishedAt: z.string().nullable().openapi({ format: 'date-time', description: 'When this delta finished: the time of the last delta for the cutover' }),
  counts: z.object({
    new: count.openapi({ description: 'Records new at the source, created in the target' }),
    changed: count.openapi({ description: 'Records changed at the source, updated in the target (conflicts written over included)' }),
    unchanged: count.openapi({ description: 'Records whose content hash did not change: not written' }),
    deletedAtSource: count.openapi({ description: 'Records in the id map the source no longer has: listed, never deleted in the target' }),
    conflicts: count.openapi({ description: 'Records changed at the source that were edited in the target since Freight wrote them' }),
    failed: count,
    skipped: count,
  }),
  pending: z.object({
    conflictsKept: count.openapi({ description: 'Conflicts left as the target has them (keep-target)' }),
    notUpdatable: count.openapi({ description: 'Records changed at the source that the target cannot update (Attio notes have no update); listed by every delta until handled' }),
    failed: count, retrying: count,
    unresolvedReferences: count,
    deletedAtSource: count,
    running: z.boolean().openapi({ description: 'The delta has not finished' }),
  }).openapi({ description: 'What still stands between source and target after this delta' }),
  conflicts: z.array(z.object({
    object: z.string(), sourceId: z.string(), targetObject: z.string().nullable(), targetId: z.string().nullable(),
    targetValues: z.unknown().openapi({ description: "The target's current values of the fields Freight writes (null: deleted in the target)" }),
    sourceValues: z.unknown().openapi({ description: 'What the source would write' }),
    resolution: z.enum(['kept_target', 'took_source']),
  })).openapi({ description: 'The first 1,000 conflicts' }),
  filteredReads: z.array(z.object({ object: z.string(), since: z.string().openapi({ format: 'date-time' }) })).openapi({
    description: 'Objects read through a source-side change filter (only records created or changed since `since`, e.g. Affinity notes): '
      + 'their deletions at the source are not checked by this delta, and changes the filter cannot see are not read (see the README)',
  }),
  deletedAtSource: z.array(z.object({ object: z.string(), sourceId: z.string(), targetObject: z.string().nullable(), targetId: z.string().nullable() }))
    .openapi({ description: 'The first 1,000 records deleted at the source' }),
}).openapi('DeltaSummary');
