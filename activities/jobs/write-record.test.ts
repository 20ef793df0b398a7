import { describe, expect, it } from 'vitest';
import { buildReport } from '../../shared/reports/report-model.ts';
import type { MapOutcome, PairRuntime, PairWriteResult, TargetRef } from '../pairs/pair.ts';
import { writeRecord } from './write-record.ts';

/**
 * An in-memory pair (not a mock of Temporal, PostgreSQL or S3): records are `{ id, title, when? }`,
 * written into a Map. A record with a date the target cannot take is written without it and is
 * reported degraded by the mapping; one whose title the target truncates is degraded by the write.
 */
interface Rec { id: string; title: string; when?: string }
interface Write { id: string; title: string }

function memoryPair(): { runtime: PairRuntime<Rec, { warnings: string[]; created: string[] }, null, Write>; target: Map<string, Write> } {
  const target = new Map<string, Write>();
  const runtime: PairRuntime<Rec, { warnings: string[]; created: string[] }, null, Write> = {
    readPage: async () => ({ records: [], skipped: [], nextCursor: null }),
    recordId: (r) => r.id,
    prepare: async () => ({ warnings: [], created: [] }),
    referencedKeys: () => [],
    resolveReferences: async () => new Map<string, TargetRef>(),
    context: () => null,
    map(r): MapOutcome<Write> {
      if (r.title === '') return { status: 'skip', kind: 'validation', reason: 'no title', notes: [], warnings: [] };
      return { status: 'ok', write: { id: r.id, title: r.title }, notes: [], warnings: [], ...(r.when ? { degraded: [`date ${r.when} cannot be backdated`] } : {}) };
    },
    unresolvedNow: () => 0,
    async write(w): Promise<PairWriteResult> {
      const action = target.has(w.id) ? 'unchanged' : 'created';
      const title = w.title.slice(0, 5);
      target.set(w.id, { id: w.id, title });
      return { target: { object: 'items', id: `t-${w.id}` }, action, warnings: [], ...(title !== w.title ? { degraded: ['title truncated to 5 characters'] } : {}) };
    },
  };
  return { runtime, target };
}

const run = (runtime: PairRuntime, record: Rec, dryRun = false) => writeRecord({
  record, object: 'items', batchId: 'items-000000', ctx: null, runtime: runtime as PairRuntime, dryRun, signal: new AbortController().signal,
});

describe('writeRecord through a pair runtime', () => {
  it('logs a faithful record as succeeded without a degraded reason', async () => {
    const { runtime, target } = memoryPair();
    const a = await run(runtime as PairRuntime, { id: '1', title: 'ok' });
    expect(a).toMatchObject({ done: true, outcome: { status: 'succeeded', sourceId: '1', targetId: 't-1', action: 'created' } });
    expect(a.outcome.degraded).toBeUndefined();
    expect(target.get('1')).toEqual({ id: '1', title: 'ok' });
  });

  it('logs a degraded record as succeeded with the mapping\'s and the write\'s reasons', async () => {
    const { runtime } = memoryPair();
    const a = await run(runtime as PairRuntime, { id: '2', title: 'a long title', when: '2020-01-01' });
    expect(a).toMatchObject({
      done: true,
      outcome: { status: 'succeeded', degraded: 'date 2020-01-01 cannot be backdated; title truncated to 5 characters' },
    });
    const dry = await run(runtime as PairRuntime, { id: '3', title: 'x', when: '2020-01-01' }, true);
    expect(dry.outcome).toMatchObject({ status: 'succeeded', action: 'dry_run', degraded: 'date 2020-01-01 cannot be backdated' });
  });

  it('never marks a record that was not written as degraded', async () => {
    const { runtime } = memoryPair();
    const a = await run(runtime as PairRuntime, { id: '4', title: '', when: '2020-01-01' });
    expect(a.outcome).toMatchObject({ status: 'failed', errorKind: 'validation' });
    expect(a.outcome.degraded).toBeUndefined();
  });
});

describe('the job report counts degraded records', () => {
  it('as a part of succeeded, by object and reason', () => {
    const report = buildReport({
      job: { id: 'j', status: 'completed', objects: ['items'], createdAt: new Date(0), startedAt: new Date(0), finishedAt: new Date(60_000) },
      records: [{ object: 'items', status: 'succeeded', count: 10, retries: 0, rewrites: 0 }],
      batches: [{ status: 'succeeded', count: 1, retries: 0, rewrites: 0 }],
      failedRecords: { byKind: [], byObject: [], byBatch: [], messages: [] },
      failedBatches: [],
      degraded: [{ object: 'items', reason: 'title truncated to 5 characters', count: 2 }, { object: 'items', reason: 'date cannot be backdated', count: 3 }],
    }, new Date(60_000));
    expect(report.totals).toMatchObject({ succeeded: 10, degraded: 5 });
    expect(report.degraded.map((d) => d.count)).toEqual([3, 2]);
  });
});
