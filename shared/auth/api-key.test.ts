import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiKeyMatches, generateApiKey, hashApiKey, parseApiKey, randomBase62, secretEquals } from './api-key.ts';

describe('API keys', () => {
  it('have the frt_<env>_<32 base62> format and an 8-character lookup prefix', () => {
    for (const env of ['live', 'test'] as const) {
      const key = generateApiKey(env);
      expect(key.plaintext).toMatch(new RegExp(`^frt_${env}_[0-9A-Za-z]{32}$`));
      expect(key.prefix).toBe(key.plaintext.slice(0, `frt_${env}_`.length + 8));
      expect(key.environment).toBe(env);
    }
  });

  it('store only the SHA-256 of the whole key', () => {
    const key = generateApiKey('live');
    expect(key.secretHash).toEqual(createHash('sha256').update(key.plaintext).digest());
    expect(key.secretHash.toString('utf8')).not.toContain(key.plaintext.slice(9));
  });

  it('never repeat', () => {
    const keys = new Set(Array.from({ length: 2_000 }, () => generateApiKey('test').plaintext));
    expect(keys.size).toBe(2_000);
  });

  it('draw base62 characters uniformly (no modulo bias)', () => {
    const counts = new Map<string, number>();
    const sample = randomBase62(62 * 2_000);
    for (const ch of sample) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // Expected 2000 each; a biased `byte % 62` would give the first 8 characters ~25% more.
    for (const n of counts.values()) {
      expect(n).toBeGreaterThan(1_700);
      expect(n).toBeLessThan(2_300);
    }
    const low = ['0', '1', '2', '3', '4', '5', '6', '7'].reduce((s, c) => s + (counts.get(c) ?? 0), 0) / 8;
    const high = ['w', 'x', 'y', 'z', 'q', 'r', 's', 't'].reduce((s, c) => s + (counts.get(c) ?? 0), 0) / 8;
    expect(low / high).toBeLessThan(1.12);
  });

  it('parse only well-formed keys', () => {
    const key = generateApiKey('live').plaintext;
    expect(parseApiKey(key)).toEqual({ environment: 'live', prefix: key.slice(0, 17) });
    for (const bad of ['', 'frt_live_short', `frt_prod_${'a'.repeat(32)}`, `${key}x`, key.slice(0, -1), `frt_live_${'a'.repeat(31)}-`, ` ${key}`]) {
      expect(parseApiKey(bad), bad).toBeNull();
    }
  });

  it('compare against the stored hash', () => {
    const key = generateApiKey('test');
    expect(apiKeyMatches(key.plaintext, key.secretHash)).toBe(true);
    expect(apiKeyMatches(generateApiKey('test').plaintext, key.secretHash)).toBe(false);
    expect(apiKeyMatches(key.plaintext, new Uint8Array(5))).toBe(false);
    expect(apiKeyMatches(key.plaintext, hashApiKey(`${key.plaintext} `))).toBe(false);
  });

  it('compare secrets of different lengths without throwing', () => {
    expect(secretEquals('a'.repeat(30), 'a'.repeat(30))).toBe(true);
    expect(secretEquals('a'.repeat(30), 'a'.repeat(31))).toBe(false);
    expect(secretEquals('', 'a'.repeat(30))).toBe(false);
  });
});
