import { describe, expect, it } from 'vitest';
import { decodeCursor, decodeKeyset, encodeCursor, encodeKeyset } from './cursor.ts';

describe('list cursors', () => {
  it('round-trip', () => {
    const cursor = { createdAt: '2025-01-02T03:04:05.678Z', id: '0d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it('reject anything they did not issue', () => {
    for (const raw of ['', 'abc', Buffer.from('[1,2]').toString('base64url'), Buffer.from('["x","y"]').toString('base64url'), Buffer.from('{}').toString('base64url')]) {
      expect(decodeCursor(raw), raw).toBeUndefined();
    }
  });
});

describe('keyset cursors', () => {
  it('round-trip tuples of strings', () => {
    expect(decodeKeyset(encodeKeyset(['persons', '123']), 2)).toEqual(['persons', '123']);
  });

  it('reject the wrong arity, non-strings and garbage', () => {
    expect(decodeKeyset(encodeKeyset(['a']), 2)).toBeUndefined();
    for (const raw of ['', 'abc', Buffer.from('[1,"x"]').toString('base64url'), Buffer.from('{}').toString('base64url')]) {
      expect(decodeKeyset(raw, 2), raw).toBeUndefined();
    }
  });
});
