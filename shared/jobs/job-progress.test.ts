import { describe, expect, it } from 'vitest';
import { batchCounts, computeProgress, recordCounts } from './job-progress.ts';

describe('job progress', () => {
  const counts = recordCounts([
    { object: 'organizations', status: 'succeeded', count: 500 },
    { object: 'organizations', status: 'failed', count: 10 },
    { object: 'persons', status: 'skipped', count: 90 },
    { object: 'persons', status: 'retrying', count: 7 },
  ]);

  it('groups record counts per object with every status', () => {
    expect(counts).toEqual({
      organizations: { succeeded: 500, failed: 10, retrying: 0, skipped: 0 },
      persons: { succeeded: 0, failed: 0, retrying: 7, skipped: 90 },
    });
    expect(batchCounts([{ status: 'failed', count: 2 }, { status: 'succeeded', count: 5 }])).toEqual({
      pending: 0, running: 0, succeeded: 5, completed_with_errors: 0, failed: 2, cancelled: 0,
    });
  });

  it('computes throughput and ETA while running', () => {
    const startedAt = new Date('2025-01-01T00:00:00Z');
    const p = computeProgress({ counts, estimatedTotal: 1200, startedAt, finishedAt: null, status: 'running', now: startedAt.getTime() + 60_000 });
    expect(p).toMatchObject({ processed: 600, estimatedTotal: 1200, estimateBasis: 'call_plan', percent: 50, elapsedSeconds: 60, recordsPerMinute: 600, etaSeconds: 60 });
  });

  it('has no ETA when the total is unknown, the job has not started or it is finished', () => {
    const startedAt = new Date('2025-01-01T00:00:00Z');
    expect(computeProgress({ counts, estimatedTotal: null, startedAt, finishedAt: null, status: 'running', now: startedAt.getTime() + 30_000 }))
      .toMatchObject({ percent: null, etaSeconds: null, recordsPerMinute: 1200 });
    expect(computeProgress({ counts: {}, estimatedTotal: 10, startedAt: null, finishedAt: null, status: 'pending', now: 0 }))
      .toMatchObject({ processed: 0, estimatedTotal: 10, percent: 0, elapsedSeconds: null, recordsPerMinute: null, etaSeconds: null });
    const finishedAt = new Date(startedAt.getTime() + 120_000);
    expect(computeProgress({ counts, estimatedTotal: 600, startedAt, finishedAt, status: 'completed_with_errors', now: finishedAt.getTime() + 1e6 }))
      .toMatchObject({ percent: 100, elapsedSeconds: 120, recordsPerMinute: 300, etaSeconds: null });
  });

  it('never shows less than the percent shown before the estimate grew, and says why there is none', () => {
    const startedAt = new Date('2025-01-01T00:00:00Z');
    // 600 processed: of 1000 that was 60 %; the total grew to 1300 (46.2 %): 60 % stays.
    const p = computeProgress({ counts, estimatedTotal: 1300, percentFloor: 60, startedAt, finishedAt: null, status: 'running', now: startedAt.getTime() + 60_000 });
    expect(p).toMatchObject({ percent: 60, etaSeconds: 70 });
    expect(computeProgress({ counts, estimatedTotal: null, percentFloor: 0, startedAt, finishedAt: null, status: 'running', now: startedAt.getTime() + 60_000 }))
      .toMatchObject({ estimateBasis: null, percent: null, etaSeconds: null, estimateNote: expect.stringMatching(/no call plan/) });
    expect(computeProgress({ counts, estimatedTotal: 600, estimateBasis: 'extracted', startedAt, finishedAt: null, status: 'running', now: startedAt.getTime() + 60_000 }))
      .toMatchObject({ estimateBasis: 'extracted', percent: 100, estimateNote: expect.stringMatching(/exact/) });
  });
});
