import { describe, expect, it } from 'vitest';
import { buildProgress } from './job-events.ts';

describe('buildProgress', () => {
  it('counts final outcomes against extracted records, per object and in total', () => {
    const p = buildProgress(
      [{ object: 'persons', status: 'succeeded', count: 150 }, { object: 'persons', status: 'failed', count: 10 }, { object: 'persons', status: 'retrying', count: 5 },
        { object: 'notes', status: 'skipped', count: 40 }],
      [{ object: 'persons', records: 200 }, { object: 'notes', records: 40 }],
      null,
    );
    expect(p).toEqual({
      processed: 200, total: 240, percent: 83.3,
      perObject: { persons: { processed: 160, total: 200, succeeded: 150, failed: 10, skipped: 0 }, notes: { processed: 40, total: 40, succeeded: 0, failed: 0, skipped: 40 } },
    });
  });

  it('uses the estimate when larger, caps at 100 %, and is 0 % when nothing is known', () => {
    expect(buildProgress([{ object: 'a', status: 'succeeded', count: 10 }], [{ object: 'a', records: 10 }], 40).percent).toBe(25);
    expect(buildProgress([{ object: 'a', status: 'succeeded', count: 10 }], [{ object: 'a', records: 10 }], null).percent).toBe(100);
    expect(buildProgress([], [], null)).toEqual({ processed: 0, total: 0, percent: 0, perObject: {} });
  });
});
