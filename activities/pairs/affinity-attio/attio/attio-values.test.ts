import { describe, expect, it } from 'vitest';
import { asValueArrays } from './attio-values.ts';

describe('asValueArrays', () => {
  it('wraps single values, keeps arrays, writes null as no value and leaves undefined out', () => {
    const name = { first_name: 'Ada', last_name: 'L', full_name: 'Ada L' };
    expect(asValueArrays({ name, job_title: 'CEO', domains: ['a.io', 'b.io'], description: null, stage: undefined, count: 0 }))
      .toEqual({ name: [name], job_title: ['CEO'], domains: ['a.io', 'b.io'], description: [], count: [0] });
  });
});
