import { describe, expect, it } from 'vitest';
import { parseRfc3339, RFC3339_PATTERN } from './rfc3339.ts';

describe('parseRfc3339', () => {
  it('reads UTC, offsets, fractions and lower-case separators', () => {
    expect(parseRfc3339('2026-11-29T00:00:00Z')).toBe(Date.UTC(2026, 10, 29));
    expect(parseRfc3339('2026-11-29t01:30:00+01:30')).toBe(Date.UTC(2026, 10, 29));
    expect(parseRfc3339('2026-11-28T23:00:00.25-01:00')).toBe(Date.UTC(2026, 10, 29, 0, 0, 0, 250));
    expect(parseRfc3339('0108-04-06T23:23:17Z')).toBe(Date.parse('0108-04-06T23:23:17Z'));
  });

  it('takes a leap second as the last millisecond of the minute', () => {
    expect(parseRfc3339('2016-12-31T23:59:60Z')).toBe(Date.UTC(2016, 11, 31, 23, 59, 59, 999));
  });

  it('refuses what Date.parse would take: bare numbers, dates only, impossible days and fields', () => {
    for (const bad of ['0.5', '2026', '2026-11-29', '2021-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-04-31T00:00:00Z',
      '2026-01-01T24:00:00Z', '2026-01-01T00:00:00', '2026-01-01T00:00:00+24:00', 'Mon, 01 Jan 2026 00:00:00 GMT']) {
      expect(parseRfc3339(bad), bad).toBeUndefined();
    }
    expect(parseRfc3339('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });

  it('the pattern the OpenAPI document states admits what the parser reads', () => {
    const pattern = new RegExp(RFC3339_PATTERN);
    for (const ok of ['2026-11-29T00:00:00Z', '2026-11-29t01:30:00.5+01:30']) expect(pattern.test(ok), ok).toBe(true);
    expect(pattern.test('0.5')).toBe(false);
  });
});
