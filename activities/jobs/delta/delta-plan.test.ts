import { describe, expect, it } from 'vitest';
import type { DeltaOptions } from '../../../shared/jobs/delta-options.ts';
import type { MapOutcome, PairRuntime } from '../../pairs/pair.ts';
import type { JobRow } from '../job-store.ts';
import type { SourceRow } from '../source-rows.ts';
import { contentHash, createDeltaPass, imageHashes } from './delta-pass.ts';
import type { ConflictItem, DeltaState, DeltaStore } from './delta-store.ts';

/**
 * The delta pass's decisions per record (pure: the store and the pair are fakes). Records:
 * 1 unchanged, target as written; 2 unchanged, edited in the target; 3 changed, target as written;
 * 4 changed, edited in the target; 5 new (not in the id map); 6 changed, target as written, but a
 * record the workspace held before Freight's first write (not created by Freight).
 */
type Rec = { id: string; name: string };
const written = { name: ['Ada'] };
const source: Rec[] = ['1', '2', '3', '4', '5', '6'].map((id) => ({ id, name: 'Ada' }));
const changedAtSource = new Set(['3', '4', '6']);
const editedInTarget = new Set(['2', '4']);

function setup(delta: Partial<DeltaOptions>) {
  const reads: string[] = [];
  const listed: ConflictItem[] = [];
  const kept = new Map<string, DeltaState>(source.filter((r) => r.id !== '5').map((r) => [`person:${r.id}`, {
    targetObject: 'people', targetId: `t${r.id}`,
    // A record changed at the source since: its kept hash is of what the source held before.
    sourceHash: contentHash(changedAtSource.has(r.id) ? { ...r, name: 'Before' } : r), imageHashes: imageHashes(written), createdByFreight: r.id !== '6',
  }]));
  const store = {
    read: () => Promise.resolve(kept),
    conflicts: (_ref: unknown, items: readonly ConflictItem[]) => {
      listed.push(...items);
      return Promise.resolve();
    },
    remember: () => Promise.resolve(),
  } as unknown as DeltaStore;
  const runtime = {
    recordId: (r: Rec) => r.id,
    sourceKey: (_object: string, r: Rec) => ({ kind: 'person', id: r.id }),
    readImage: (_w: unknown, target: { id: string }) => {
      reads.push(target.id);
      return Promise.resolve(editedInTarget.has(target.id.slice(1)) ? { name: ['Edited in Attio'] } : written);
    },
    writeValues: (w: unknown) => w,
  } as unknown as PairRuntime;
  const job = { dry_run: false, source_connection_id: 'src', target_connection_id: 'tgt', options: { delta: { follows: 'f', onConflict: 'keep-target', ...delta } } } as unknown as JobRow;
  const pass = createDeltaPass({
    store, runtime, job, ref: { tenantId: 't', jobId: 'j' }, scope: 's', object: 'persons', batchId: 'b', compare: true, readConcurrency: 2,
  });
  const rows: SourceRow[] = source.map((record) => ({ t: 'record', record }));
  const mapped: MapOutcome<unknown>[] = source.map((r) => ({ status: 'ok', write: { name: r.name }, notes: [], warnings: [] }));
  return { plan: () => pass!.plan(rows, mapped, new AbortController().signal), reads, listed };
}

describe('delta pass decisions', () => {
  it('targetEdits all (default): reads every known record; a target-only edit is a conflict kept, unedited unchanged ones are not written', async () => {
    const { plan, reads, listed } = setup({});
    const chunk = await plan();
    expect(reads.sort()).toEqual(['t1', 't2', 't3', 't4', 't6']);
    expect(chunk.settled.map((s) => s?.action ?? null)).toEqual(['unchanged', 'conflict_kept_target', null, 'conflict_kept_target', null, null]);
    // Listed with both values: the target's edited fields and what the source would write.
    expect(listed.map((c) => [c.sourceId, c.resolution, c.targetValues, c.sourceValues]).sort()).toEqual([
      ['2', 'kept_target', { name: ['Edited in Attio'] }, { name: 'Ada' }],
      ['4', 'kept_target', { name: ['Edited in Attio'] }, { name: 'Ada' }],
    ]);
    // The changed, unedited record Freight created overwrites; the new one is created and the one the
    // workspace held before merges, as in a first job (the customer's own values stay).
    expect(chunk.overwrite).toEqual([false, false, true, false, false, false]);
  });

  it('take-source: a target-only edit is written over (overwrite) and listed as taken', async () => {
    const { plan, listed } = setup({ onConflict: 'take-source' });
    const chunk = await plan();
    expect(chunk.settled.map((s) => s?.action ?? null)).toEqual(['unchanged', null, null, null, null, null]);
    expect(chunk.taken.map((t) => t?.sourceId ?? null)).toEqual([null, '2', null, '4', null, null]);
    expect(chunk.overwrite).toEqual([false, true, true, true, false, false]);
    // Taken conflicts are listed once their write succeeds (commit), not before.
    expect(listed).toEqual([]);
  });

  it('targetEdits changed: records unchanged at the source are not read, a target-only edit goes unnoticed', async () => {
    const { plan, reads } = setup({ targetEdits: 'changed' });
    const chunk = await plan();
    expect(reads.sort()).toEqual(['t3', 't4', 't6']);
    expect(chunk.settled.map((s) => s?.action ?? null)).toEqual(['unchanged', 'unchanged', null, 'conflict_kept_target', null, null]);
  });
});
