import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvOptions, guardFormula } from './csv-cells.ts';
import { REPORT_CSV_COLUMNS, reportCsvRows } from './report-csv.ts';
import { buildReport, type ReportInputs } from './report-model.ts';

const t0 = new Date('2026-01-01T00:00:00Z');

function inputs(over: Partial<ReportInputs> = {}): ReportInputs {
  return {
    job: { id: '7b1e3c1e-0000-4000-8000-000000000001', status: 'completed_with_errors', objects: ['organizations', 'persons'], createdAt: t0,
      startedAt: new Date(t0.getTime() + 1_000), finishedAt: new Date(t0.getTime() + 121_000) },
    records: [
      { object: 'organizations', status: 'succeeded', count: 90, retries: 3, rewrites: 12 },
      { object: 'organizations', status: 'failed', count: 10, retries: 20, rewrites: 0 },
      { object: 'persons', status: 'succeeded', count: 195, retries: 0, rewrites: 7 },
      { object: 'persons', status: 'skipped', count: 5, retries: 0, rewrites: 0 },
    ],
    batches: [{ status: 'succeeded', count: 2, retries: 1, rewrites: 2 }, { status: 'completed_with_errors', count: 1, retries: 0, rewrites: 0 }, { status: 'failed', count: 1, retries: 4, rewrites: 0 }],
    failedRecords: {
      byKind: [{ errorKind: 'validation', count: 7 }, { errorKind: null, count: 3 }],
      byObject: [{ object: 'organizations', count: 10 }],
      byBatch: [{ batchId: 'organizations-0', object: 'organizations', count: 10, errorKind: 'validation', errorMessage: 'bad domain' }],
      messages: [{ errorKind: 'validation', errorMessage: 'bad domain', count: 7 }, { errorKind: null, errorMessage: '=cmd|calc', count: 3 }],
    },
    failedBatches: [{ batchId: 'persons-3', object: 'persons', errorKind: 'auth', errorMessage: 'token revoked', records: 100 }],
    ...over,
  };
}

describe('buildReport', () => {
  it('counts every degraded record, not only those of the reasons listed (a reason names its record\'s own fields)', () => {
    const r = buildReport(inputs({ degraded: [{ object: 'runs', reason: 'field "A" lost', count: 2 }], degradedTotal: 40 }), new Date(t0.getTime() + 999_000));
    expect(r.totals.degraded).toBe(40);
    expect(r.degraded).toEqual([{ object: 'runs', reason: 'field "A" lost', count: 2 }]);
  });

  it('totals, duration, throughput and retries from the aggregates', () => {
    const r = buildReport(inputs(), new Date(t0.getTime() + 999_000));
    expect(r.totals).toEqual({ records: 300, processed: 300, succeeded: 285, failed: 10, retrying: 0, skipped: 5, degraded: 0, batches: 4 });
    expect(r.counts.organizations).toEqual({ succeeded: 90, failed: 10, retrying: 0, skipped: 0 });
    expect(r.durationSeconds).toBe(120);
    expect(r.recordsPerMinute).toBe(150);
    expect(r.retries).toEqual({ total: 28, records: 23, batches: 5 });
    expect(r.referenceRewrites).toEqual({ records: 19, batches: 2 });
    expect(r.batches).toMatchObject({ succeeded: 2, completed_with_errors: 1, failed: 1, pending: 0 });
  });

  it('failure breakdowns: records and whole batches per kind and object, batches worst first, top messages', () => {
    const f = buildReport(inputs(), t0).failures;
    expect(f.byKind).toEqual([{ kind: 'validation', records: 7, batches: 0 }, { kind: 'unknown', records: 3, batches: 0 }, { kind: 'auth', records: 0, batches: 1 }]);
    expect(f.byObject).toEqual([{ object: 'organizations', records: 10, batches: 0 }, { object: 'persons', records: 0, batches: 1 }]);
    expect(f.byBatch.map((b) => [b.batchId, b.batchFailed, b.failedRecords])).toEqual([['persons-3', true, 0], ['organizations-0', false, 10]]);
    expect(f.topMessages[0]).toEqual({ message: 'bad domain', kind: 'validation', count: 7 });
  });

  it('a job that never started has no duration or throughput; a running one is measured to now', () => {
    expect(buildReport(inputs({ job: { ...inputs().job, startedAt: null, finishedAt: null } }), t0)).toMatchObject({ durationSeconds: null, recordsPerMinute: null });
    const running = buildReport(inputs({ job: { ...inputs().job, finishedAt: null } }), new Date(t0.getTime() + 61_000));
    expect(running.durationSeconds).toBe(60);
  });
});

describe('report CSV', () => {
  it('guards formula cells, leaves numbers, and parses back to the report values', () => {
    const report = buildReport(inputs(), t0);
    const text = stringify([...reportCsvRows(report)], csvOptions(REPORT_CSV_COLUMNS));
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.section === 'totals' && r.metric === 'succeeded')?.value).toBe('285');
    expect(rows.find((r) => r.section === 'object' && r.key === 'organizations' && r.metric === 'failed')?.value).toBe('10');
    expect(rows.find((r) => r.section === 'top_message' && r.key === 'unknown')?.message).toBe("'=cmd|calc");
    expect(rows.filter((r) => r.section === 'failure_batch')).toHaveLength(3);
  });

  it.each([['=1+1', "'=1+1"], ['+x', "'+x"], ['-2', "'-2"], ['@SUM(A1)', "'@SUM(A1)"], ['\tx', "'\tx"], ['plain', 'plain'], ['a=b', 'a=b'], ['', '']])(
    'guardFormula(%j) = %j', (input, expected) => expect(guardFormula(input)).toBe(expected),
  );
});
