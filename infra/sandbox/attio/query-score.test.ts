import { describe, expect, it } from 'vitest';
import { sandboxQueryScore } from './query-score.ts';

describe('the sandbox query score', () => {
  it('grows with filter conditions, sorts and the rows queried', () => {
    expect(sandboxQueryScore({}, 0)).toBe(1);
    expect(sandboxQueryScore({ limit: 500 }, 5_000)).toBe(2);
    expect(sandboxQueryScore({ limit: 500 }, 5_001)).toBe(3);
    expect(sandboxQueryScore({ filter: { name: 'x', email_addresses: { $contains: 'a' } } }, 0)).toBe(3);
    expect(sandboxQueryScore({ filter: { $and: [{ name: 'x' }, { $or: [{ a: 1 }, { b: 2 }] }] }, sorts: [{}, {}] }, 1)).toBe(1 + 3 + 2 + 1);
  });
});
