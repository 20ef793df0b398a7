import { describe, expect, it } from 'vitest';
import { contentHash, editedFields, imageHashes } from './delta-pass.ts';

describe('delta hashes', () => {
  it('hash content, not key order', () => {
    expect(contentHash({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(contentHash({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
  });

  it('compare only the fields Freight wrote, a field gone reading as empty', () => {
    const kept = imageHashes({ name: [{ full_name: 'Ada' }], email: [], company: [{ id: 'c1' }] });
    expect(editedFields(kept, { name: [{ full_name: 'Ada' }], company: [{ id: 'c1' }], other: ['written by someone else'] })).toEqual([]);
    expect(editedFields(kept, { name: [{ full_name: 'Ada L.' }], company: [], email: [] })).toEqual(['name', 'company']);
  });
});
