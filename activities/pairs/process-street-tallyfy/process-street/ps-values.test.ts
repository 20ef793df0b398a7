import { describe, expect, it } from 'vitest';
import { normaliseValueData } from './ps-values.ts';

describe('normaliseValueData (undocumented read shapes)', () => {
  it('reads dates as strings, wrapped or as epoch ms', () => {
    expect(normaliseValueData('Date', '2026-01-02T00:00:00.000Z')).toBe('2026-01-02T00:00:00.000Z');
    expect(normaliseValueData('Date', { value: '2026-01-02' })).toBe('2026-01-02');
    expect(normaliseValueData('Date', Date.UTC(2026, 0, 2))).toBe('2026-01-02T00:00:00.000Z');
    expect(normaliseValueData('Date', null)).toBeNull();
  });

  it('reads members as ids, objects, wrapped lists or one id', () => {
    const ann = { id: 'u1', email: null, username: null };
    expect(normaliseValueData('Members', 'u1')).toEqual([ann]);
    expect(normaliseValueData('Members', { members: [{ id: 'u1', email: 'a@x.io', username: 'Ann' }] })).toEqual([{ id: 'u1', email: 'a@x.io', username: 'Ann' }]);
    expect(normaliseValueData('Members', { value: ['u1'] })).toEqual([ann]);
    expect(normaliseValueData('Members', [])).toEqual([]);
    // A shape none of these: passed on as received for the mapping to degrade.
    expect(normaliseValueData('Members', [{ name: 'x' }])).toEqual([{ name: 'x' }]);
  });

  it('reads file values as a list of files, whatever the wrapping', () => {
    const file = { id: 'f1', name: 'a.pdf', url: 'https://public-api.process.st/x', mimeType: 'application/pdf', size: 3 };
    expect(normaliseValueData('File', { id: 'f1', fileName: 'a.pdf', links: [{ href: 'https://public-api.process.st/x' }], mimeType: 'application/pdf', size: 3 })).toEqual([file]);
    expect(normaliseValueData('MultiFile', { files: [{ id: 'f1', name: 'a.pdf', url: 'https://public-api.process.st/x', mimeType: 'application/pdf', size: 3 }, { name: 'b' }] }))
      .toEqual([file, { id: null, name: 'b', url: null, mimeType: null, size: null }]);
    expect(normaliseValueData('File', 'just-a-string')).toBe('just-a-string');
  });

  it('unwraps tables and leaves other types as received', () => {
    expect(normaliseValueData('Table', { value: 'a,b\n1,2' })).toBe('a,b\n1,2');
    expect(normaliseValueData('Table', [['a', 'b']])).toEqual([['a', 'b']]);
    expect(normaliseValueData('MultiChoice', ['x'])).toEqual(['x']);
    expect(normaliseValueData('Number', 4)).toBe(4);
  });
});
