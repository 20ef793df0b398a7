import { describe, expect, it } from 'vitest';
import type { VerificationReport } from '../../activities/pairs/affinity-attio/verification/verify-migration.ts';
import {
  demoOutcome, formatDuration, jobSeconds, progressFraction, renderProgress, summaryLines, totalProcessed, verificationLines, verificationSummary, type JobView,
} from './demo-format.ts';
import { affinityStatsLine, attioStatsLine, buildDemoReport } from './demo-report.ts';

const running: JobView = {
  id: 'j1',
  status: 'running',
  counts: { organizations: { succeeded: 750, failed: 0, retrying: 0, skipped: 0 }, persons: { succeeded: 1200, failed: 2, retrying: 1, skipped: 48 } },
  batches: { pending: 10, running: 4, succeeded: 20, completed_with_errors: 0, failed: 0, cancelled: 0 },
  progress: { processed: 2000, estimatedTotal: 5000, percent: 40, elapsedSeconds: 75, recordsPerMinute: 96000, etaSeconds: 2 },
};

const report = (ok: boolean): VerificationReport => ({
  ok,
  kinds: {
    person: { expected: 2000, present: ok ? 2000 : 1999, missing: ok ? 0 : 1, absentAsLogged: 0, duplicates: 0, unexpected: 0, foreign: 7, mismatches: 0, examples: ok ? [] : ['missing person:200000007'] },
    note: { expected: 1250, present: 1250, missing: 0, absentAsLogged: 3, duplicates: 0, unexpected: 0, foreign: 0, mismatches: 0, examples: [] },
  },
  references: { checked: 4000, dangling: 0 },
  links: {
    'person.company': { unit: 'record', records: ok ? 2000 : 1999, checked: 1990, right: ok ? 1990 : 1988, wrong: ok ? 0 : 1, missing: ok ? 0 : 1, sourceHasNone: 10, notMigrated: 0, examples: [] },
  },
  target: { records: { people: 2007 }, entries: 0, notes: 1250 },
});

describe('renderProgress', () => {
  it('draws the bar from the API percent with counts, rate, ETA and elapsed time', () => {
    expect(renderProgress(running, { width: 10 })).toBe('running    [████░░░░░░]   40.0%  2,000 / 5,000 records  96,000 rec/min  ETA 2s  elapsed 1m15s');
  });

  it('falls back to the expected total while the API does not know it yet', () => {
    const early: JobView = { id: 'j', status: 'pending', progress: { processed: 250, estimatedTotal: null, percent: null, elapsedSeconds: null, recordsPerMinute: null, etaSeconds: null } };
    expect(renderProgress(early, { width: 4, expectedTotal: 1000, elapsedSeconds: 3 })).toBe('pending    [█░░░]   25.0%  250 / 1,000 records  elapsed 3s');
  });

  it('shows an empty bar and "?" when nothing is known, and a full one once completed', () => {
    expect(renderProgress({ id: 'j', status: 'pending' }, { width: 4 })).toBe('pending    [░░░░]     ?    0 records');
    expect(progressFraction({ ...running, status: 'completed' })).toBe(1);
    expect(renderProgress({ ...running, status: 'completed', progress: { ...running.progress!, percent: 99.9 } }, { width: 4 })).toContain('[████]  100.0%');
  });

  it('never draws past 100 %', () => {
    expect(progressFraction({ id: 'j', status: 'running', progress: { processed: 6000, estimatedTotal: 5000, percent: null, elapsedSeconds: 1, recordsPerMinute: 1, etaSeconds: null } })).toBe(1);
  });
});

describe('summaryLines', () => {
  it('lists every object per status, the totals and the non-zero batch counts', () => {
    expect(summaryLines(running)).toEqual([
      '  object           succeeded     failed   retrying    skipped',
      '  organizations          750          0          0          0',
      '  persons              1,200          2          1         48',
      '  total                1,950          2          1         48',
      '  batches: 10 pending, 4 running, 20 succeeded',
    ]);
  });

  it('copes with a job that has no counts yet', () => {
    expect(summaryLines({ id: 'j', status: 'pending' })).toHaveLength(2);
  });
});

describe('verification output', () => {
  it('prints OK with the per-kind table and the references', () => {
    const lines = verificationLines(report(true), 2.34);
    expect(lines[0]).toBe('verification (2.3 s): OK — every source record is in Attio exactly once, with the mapped values');
    expect(verificationLines(report(true), 2.34, { attio: 41, affinity: 3500 })[0]).toBe('verification (2.3 s, 41 Attio and 3,500 Affinity requests): OK — every source record is in Attio exactly once, with the mapped values');
    expect(lines[2]).toMatch(/^ {2}person +2,000 +2,000 +0 +0 +0 +0 +0 +7$/);
    expect(lines.at(-2)).toBe('  references: 4,000 checked, 0 dangling');
    expect(lines.at(-1)).toBe('  people → company: 1,990 right (99.5 % of 2,000 records), 0 wrong, 0 missing; source names none for 10, not migrated for 0');
  });

  it('prints the differences with their examples', () => {
    const lines = verificationLines(report(false), 1);
    expect(lines[0]).toContain('DIFFERENCES FOUND');
    expect(lines).toContain('      e.g. missing person:200000007');
  });

  it('sums the kinds for the JSON line', () => {
    expect(verificationSummary(report(false), 1.26)).toEqual({
      ok: false, seconds: 1.3, expected: 3250, present: 3249, missing: 1, absentAsLogged: 3, duplicates: 0, unexpected: 0, mismatches: 0, notFreights: 7, danglingReferences: 0,
      links: { 'person.company': { unit: 'record', records: 1999, checked: 1990, right: 1988, wrong: 1, missing: 1, sourceHasNone: 10, notMigrated: 0, rightPercent: 99.4 } },
      target: { records: { people: 2007 }, entries: 0, notes: 1250 },
    });
    expect(verificationSummary(report(true), 1, { attio: 41, affinity: 3500 }).requests).toEqual({ attio: 41, affinity: 3500 });
    // A multi-valued link's share is per link the source names, not per record.
    const deals = { ...report(true), links: { 'opportunity.associatedPeople': { unit: 'link' as const, records: 100, checked: 200, right: 199, wrong: 0, missing: 1, sourceHasNone: 0, notMigrated: 0, examples: [] } } };
    expect(verificationSummary(deals, 1).links['opportunity.associatedPeople']?.rightPercent).toBe(99.5);
    expect(verificationLines(deals, 1).at(-1)).toBe('  deals → people: 199 right (99.5 % of 200 links), 0 wrong, 1 missing; source names none for 0, not migrated for 0');
  });
});

describe('demoOutcome', () => {
  it('passes only a completed job with a clean verification', () => {
    expect(demoOutcome('completed', { ok: true })).toEqual({ ok: true, reason: null });
    expect(demoOutcome('completed', { ok: false }).reason).toBe('verification found differences between Affinity and Attio');
    expect(demoOutcome('completed_with_errors', { ok: true }).reason).toBe('the job ended completed_with_errors, not completed');
    expect(demoOutcome('failed', undefined).ok).toBe(false);
    expect(demoOutcome('completed', undefined).reason).toBe('verification did not run');
    expect(demoOutcome(undefined, undefined).reason).toBe('the job was never created');
  });
});

describe('durations and totals', () => {
  it('formats seconds and minutes', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(59.6)).toBe('1m00s');
    expect(formatDuration(125)).toBe('2m05s');
  });

  it('takes the job duration from its timestamps, else its elapsed time, else the wall clock', () => {
    expect(jobSeconds({ id: 'j', status: 'completed', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:01:30.500Z' }, 1)).toBe(90.5);
    expect(jobSeconds(running, 1)).toBe(75);
    expect(jobSeconds({ id: 'j', status: 'failed' }, 7)).toBe(7);
  });

  it('counts processed records from progress, else from the counts (final outcomes only)', () => {
    expect(totalProcessed(running)).toBe(2000);
    expect(totalProcessed({ ...running, progress: undefined })).toBe(1950 + 2 + 48);
  });
});

describe('the --json report', () => {
  const stats = { requests: 10_000, reads: 2_500, writes: 7_500, rateLimited: 25, writesPerSecond: { peak: 26, average: 24.5 } };

  it('holds the job, its counts, throughput, verification totals, sandbox stats and URLs', () => {
    const done: JobView = { ...running, status: 'completed', temporalUiUrl: 'http://ui/j1', progress: { ...running.progress!, processed: 5500 } };
    const out = buildDemoReport({
      outcome: { ok: true, reason: null }, job: done, processed: 5500, expectedRecords: 5500, seconds: 300,
      verification: { report: report(true), seconds: 4.96 }, sandbox: { size: 5000, seed: 'demo', limits: 'real' },
      attio: stats, affinity: { requests: 93, v1: 12, v2: 81, byEndpoint: { 'GET /v2/persons': 20 }, rateLimited: 0 }, baseUrl: 'http://api', totalSeconds: 321.4,
    });
    expect(out).toMatchObject({
      ok: true, reason: null, jobId: 'j1', status: 'completed', records: 5500, expectedRecords: 5500, seconds: 300, recordsPerMinute: 1100,
      verification: { ok: true, seconds: 5, missing: 0 },
      sandbox: {
        size: 5000, seed: 'demo', limits: 'real',
        affinity: { requests: 93, v1: 12, v2: 81, byEndpoint: { 'GET /v2/persons': 20 }, rateLimited: 0, callsPerRecord: 0.0169 },
        attio: { writes: 7500, rateLimited: 25, writesPerSecond: 25, peakWritesPerSecond: 26 },
      },
      urls: { api: 'http://api', docs: 'http://api/docs', temporalUi: 'http://ui/j1' },
      totalSeconds: 321,
    });
    expect(out.counts).toEqual(done.counts);
    // One line: nothing in it may break the line.
    expect(JSON.stringify(out)).not.toContain('\n');
  });

  it('puts the Affinity calls beside the records they read', () => {
    expect(affinityStatsLine({ requests: 93, v1: 12, v2: 81, byEndpoint: {}, rateLimited: 0 }, 5500))
      .toBe('Affinity sandbox: 93 calls (v1 12, v2 81) for 5,500 records = 0.0169 calls per record, 0 answered 429');
    expect(affinityStatsLine({ requests: 3, v1: 3, v2: 0, byEndpoint: {}, rateLimited: 1 }, 0))
      .toBe('Affinity sandbox: 3 calls (v1 3, v2 0) for 0 records = - calls per record, 1 answered 429');
    const checked = { requests: 93, v1: 12, v2: 81, byEndpoint: {}, rateLimited: 0, contract: { enabled: true, checked: 93, violations: 0 } };
    expect(affinityStatsLine(checked, 5500)).toMatch(/; 93 exchanges checked against Affinity's docs and spec, 0 outside them$/);
    expect(buildDemoReport({
      outcome: { ok: true, reason: null }, job: { id: 'j', status: 'completed' }, processed: 1, expectedRecords: 1, seconds: 1, verification: undefined,
      sandbox: { size: 1, seed: '1', limits: 'off' }, attio: undefined, affinity: checked, baseUrl: 'http://api', totalSeconds: 1,
    }).sandbox.affinity?.contract).toEqual({ checked: 93, violations: 0 });
  });

  it('says null where nothing was measured', () => {
    const out = buildDemoReport({
      outcome: { ok: false, reason: 'the job ended failed, not completed' }, job: { id: 'j', status: 'failed' }, processed: 0, expectedRecords: 10,
      seconds: 0, verification: undefined, sandbox: { size: 10, seed: '1', limits: 'off' }, attio: undefined, affinity: undefined, baseUrl: 'http://api', totalSeconds: 1,
    });
    expect(out).toMatchObject({ ok: false, recordsPerMinute: null, verification: null, sandbox: { attio: null, affinity: null }, urls: { temporalUi: null }, counts: {}, batches: {} });
  });

  it('prints the Attio load with the share of 429s and the write rate over the job', () => {
    expect(attioStatsLine(stats, 300)).toBe('Attio sandbox: 7,500 writes, 2,500 reads, 25 answered 429 (0.25 %), 25.0 writes/s over the job, peak 26');
    const checked = { ...stats, contract: { enabled: true, checked: 10_000, violations: 0 } };
    expect(attioStatsLine(checked, 300)).toMatch(/; 10,000 exchanges checked against Attio's spec, 0 outside it$/);
    expect(buildDemoReport({
      outcome: { ok: true, reason: null }, job: { id: 'j', status: 'completed' }, processed: 1, expectedRecords: 1, seconds: 1, verification: undefined,
      sandbox: { size: 1, seed: '1', limits: 'off' }, attio: checked, affinity: undefined, baseUrl: 'http://api', totalSeconds: 1,
    }).sandbox.attio?.contract).toEqual({ checked: 10_000, violations: 0 });
  });
});
