import { describe, expect, it } from 'vitest';
import { everySeconds, EVERY_PATTERN, MAX_EVERY_SECONDS } from './schedule-interval.ts';

describe('everySeconds', () => {
  it('reads seconds, short forms and ISO-8601 durations', () => {
    expect(everySeconds(60)).toBe(60);
    expect(everySeconds('6h')).toBe(21_600);
    expect(everySeconds('90s')).toBe(90);
    expect(everySeconds('15m')).toBe(900);
    expect(everySeconds('1d')).toBe(86_400);
    expect(everySeconds('PT6H')).toBe(21_600);
    expect(everySeconds('PT1M')).toBe(60);
    expect(everySeconds('P1DT12H')).toBe(129_600);
    expect(everySeconds('PT1H30M15S')).toBe(5_415);
  });

  it('refuses intervals under a minute, months, weeks and other shapes', () => {
    for (const bad of [59, 60.5, '59s', 'PT59S', 'PT0H', 'P1M', 'P1W', 'P1Y', '6 h', 'h', '', '0m', 'P1000D', '10000d', 'PT1H0.5S']) {
      expect(everySeconds(bad as number | string), String(bad)).toBeNull();
    }
    expect(everySeconds(MAX_EVERY_SECONDS + 1)).toBeNull();
  });

  it('accepts the largest strings the pattern admits (the document promises every match is taken)', () => {
    for (const big of ['9999d', '99999h', '999999m', '99999999s', 'P999DT9999H9999M999999S', 'PT9999H9999M999999S', 'PT999999M999999S', 'PT99999999S']) {
      expect(new RegExp(EVERY_PATTERN).test(big), big).toBe(true);
      expect(everySeconds(big), big).toBeLessThanOrEqual(MAX_EVERY_SECONDS);
      expect(everySeconds(big), big).toBeGreaterThan(0);
    }
  });
});
