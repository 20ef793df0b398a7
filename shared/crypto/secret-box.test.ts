import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box.ts';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

describe('secret box', () => {
  it('round-trips and never stores the plaintext', () => {
    const box = createSecretBox([k1]);
    const sealed = box.seal('{"apiKey":"s3cr3t-value"}', 't1:c1');
    expect(sealed.ciphertext.toString('utf8')).not.toContain('s3cr3t');
    expect(box.open(sealed, 't1:c1')).toBe('{"apiKey":"s3cr3t-value"}');
  });

  it('refuses a ciphertext moved to another row (associated data)', () => {
    const box = createSecretBox([k1]);
    const sealed = box.seal('secret', 't1:c1');
    expect(() => box.open(sealed, 't2:c1')).toThrow();
  });

  it('detects tampering', () => {
    const box = createSecretBox([k1]);
    const sealed = box.seal('secret', 'ad');
    sealed.ciphertext[0] = (sealed.ciphertext[0] ?? 0) ^ 1;
    expect(() => box.open(sealed, 'ad')).toThrow();
  });

  it('rotates: new key encrypts, old key still decrypts', () => {
    const old = createSecretBox([k1]).seal('secret', 'ad');
    const rotated = createSecretBox([k2, k1]);
    expect(rotated.open(old, 'ad')).toBe('secret');
    expect(rotated.seal('x', 'ad').keyId).toBe('k2');
  });

  it('requires a 32-byte key', () => {
    expect(() => createSecretBox([{ id: 'short', key: randomBytes(16) }])).toThrow(/32 bytes/);
    expect(() => createSecretBox([])).toThrow(/FREIGHT_ENCRYPTION_KEYS/);
  });
});
