import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after.ts';

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-05-01T10:00:00.000Z');

  it('reads delta seconds, fractional too', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 10:00:03 GMT', now)).toBe(3000);
  });

  it('never returns less than the floor for a date already past', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 09:59:59 GMT', now)).toBe(50);
    expect(parseRetryAfter('Wed, 01 May 2024 09:59:59 GMT', now, 0)).toBe(0);
  });

  it('ignores absent and garbage values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
