import { describe, expect, it } from 'vitest';
import { isScoredQuery, queryScore } from './query-score.ts';

describe('queryScore', () => {
  it('is 1 for the query plus 1 per condition and per sort', () => {
    expect(queryScore(undefined)).toBe(1);
    expect(queryScore({ limit: 500, offset: 0 })).toBe(1);
    expect(queryScore({ filter: { freight_source_id: 'organization:1' }, limit: 1 })).toBe(2);
    expect(queryScore({ filter: { name: { $eq: 'Ada', $not_empty: true } } })).toBe(3);
    expect(queryScore({ filter: { $and: [{ a: 1 }, { $or: [{ b: 2 }, { c: { $contains: 'x' } }] }] }, sorts: [{ attribute: 'name', direction: 'asc' }] })).toBe(5);
    expect(queryScore({ filter: { path: [['people', 'company']], constraints: { name: 'x' } } })).toBe(2);
  });

  it('applies to records and entries queries only', () => {
    expect(isScoredQuery('POST', '/objects/people/records/query')).toBe(true);
    expect(isScoredQuery('POST', '/lists/l1/entries/query')).toBe(true);
    expect(isScoredQuery('GET', '/objects/people/records')).toBe(false);
    expect(isScoredQuery('PUT', '/objects/people/records')).toBe(false);
  });
});
