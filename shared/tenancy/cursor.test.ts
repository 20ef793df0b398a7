import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUDIT_CURSOR, BATCH_CURSOR, decodeCursor, encodeCursor, PAGE_CURSOR, RECORD_CURSOR } from './cursor.ts';

describe('list cursors', () => {
  it('round-trip', () => {
    const cursor = { createdAt: '2025-01-02T03:04:05.678Z', id: '0d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11' };
    expect(encodeCursor(cursor)).toBe('1735787045678.0d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11');
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(AUDIT_CURSOR.decode(AUDIT_CURSOR.encode(['2025-01-02T03:04:05.678Z', '42']))).toEqual(['2025-01-02T03:04:05.678Z', '42']);
    expect(BATCH_CURSOR.decode(BATCH_CURSOR.encode(['2025-01-02T03:04:05.678Z', 'persons-000003']))).toEqual(['2025-01-02T03:04:05.678Z', 'persons-000003']);
    expect(RECORD_CURSOR.decode(RECORD_CURSOR.encode(['persons', '12.3/é']))).toEqual(['persons', '12.3/é']);
  });

  it('reject anything that does not match their pattern', () => {
    for (const raw of ['', 'abc', '1.2', '12345678901234.0d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11', Buffer.from('["x","y"]').toString('base64url')]) {
      expect(decodeCursor(raw), raw).toBeUndefined();
    }
    expect(RECORD_CURSOR.decode('a.b.c')).toBeUndefined();
    expect(AUDIT_CURSOR.decode('1.1234567890123456789')).toBeUndefined();
  });

  it('accept every string matching their pattern (the API document declares it)', () => {
    for (const codec of [PAGE_CURSOR, AUDIT_CURSOR, BATCH_CURSOR, RECORD_CURSOR]) {
      fc.assert(fc.property(fc.stringMatching(new RegExp(codec.pattern)), (raw) => {
        const values = codec.decode(raw);
        expect(values).toBeDefined();
        for (const v of values ?? []) expect(v).not.toContain('\u0000');
      }));
    }
  });
});
