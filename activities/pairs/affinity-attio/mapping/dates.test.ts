import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBackdatedTimestamp, toCalendarDate } from './dates.ts';

const NOW = new Date('2025-06-01T12:00:00Z');

describe('toCalendarDate', () => {
  it('keeps the written date, not the UTC-shifted one', () => {
    expect(toCalendarDate('2021-03-01T00:00:00.000-08:00')).toBe('2021-03-01');
    expect(toCalendarDate('2021-03-01T23:30:00+14:00')).toBe('2021-03-01');
  });
  it('handles leap days and rejects impossible dates', () => {
    expect(toCalendarDate('2020-02-29T00:00:00Z')).toBe('2020-02-29');
    expect(toCalendarDate('2000-02-29')).toBe('2000-02-29');
    expect(toCalendarDate('2021-02-29T00:00:00Z')).toBeNull();
    expect(toCalendarDate('1900-02-29')).toBeNull();
    expect(toCalendarDate('2021-13-01')).toBeNull();
  });
  it('handles the epoch, early and far-future dates', () => {
    expect(toCalendarDate('1970-01-01T00:00:00.000Z')).toBe('1970-01-01');
    expect(toCalendarDate('1969-12-31T23:59:59Z')).toBe('1969-12-31');
    expect(toCalendarDate('9999-12-31T00:00:00Z')).toBe('9999-12-31');
    expect(toCalendarDate(0)).toBe('1970-01-01');
  });
  it('falls back to parsing other formats, and rejects garbage', () => {
    expect(toCalendarDate('March 7, 2019 UTC')).toBe('2019-03-07');
    expect(toCalendarDate('yesterday')).toBeNull();
    expect(toCalendarDate({})).toBeNull();
    expect(toCalendarDate(Number.NaN)).toBeNull();
  });
  it('round-trips any ISO instant to its date prefix (property)', () => {
    fc.assert(fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
      const iso = d.toISOString();
      expect(toCalendarDate(iso)).toBe(iso.slice(0, 10));
    }));
  });
});

describe('toBackdatedTimestamp', () => {
  it('passes through normal timestamps as ISO', () => {
    expect(toBackdatedTimestamp('2020-02-29T10:00:00+02:00', NOW)).toEqual({ createdAt: '2020-02-29T08:00:00.000Z' });
    expect(toBackdatedTimestamp('1970-01-01T00:00:00Z', NOW)).toEqual({ createdAt: '1970-01-01T00:00:00.000Z' });
  });
  it('clamps pre-1970 to the epoch with a warning', () => {
    const out = toBackdatedTimestamp('1969-07-20T20:17:00Z', NOW);
    expect(out.createdAt).toBe('1970-01-01T00:00:00.000Z');
    expect(out.warning).toMatch(/before 1970/);
  });
  it('omits future and unreadable timestamps with a warning', () => {
    expect(toBackdatedTimestamp('2999-01-01T00:00:00Z', NOW)).toMatchObject({ createdAt: undefined, warning: expect.stringMatching(/future/) });
    expect(toBackdatedTimestamp('garbage', NOW)).toMatchObject({ createdAt: undefined, warning: expect.stringMatching(/unreadable/) });
    expect(toBackdatedTimestamp(null, NOW)).toEqual({ createdAt: undefined });
  });
  it('never yields a time before 1970 or after now (property)', () => {
    fc.assert(fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
      const out = toBackdatedTimestamp(new Date(ms).toISOString(), NOW);
      if (out.createdAt) {
        const t = Date.parse(out.createdAt);
        expect(t).toBeGreaterThanOrEqual(0);
        expect(t).toBeLessThanOrEqual(NOW.getTime());
      }
    }));
  });
});
