import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface SealedSecret {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
  keyId: string;
}

export interface SecretBox {
  seal(plaintext: string, associatedData: string): SealedSecret;
  open(sealed: SealedSecret, associatedData: string): string;
}

/**
 * AES-256-GCM for connection secrets at rest. The first key encrypts; every listed key can decrypt,
 * so keys rotate by prepending a new one. The associated data (e.g. tenant id + connection id) binds
 * a ciphertext to its row: copied into another tenant's row it no longer decrypts.
 */
export function createSecretBox(keys: ReadonlyArray<{ id: string; key: Buffer }>): SecretBox {
  const active = keys[0];
  if (!active) throw new Error('FREIGHT_ENCRYPTION_KEYS is not set: connection secrets cannot be encrypted');
  for (const k of keys) if (k.key.length !== 32) throw new Error(`encryption key ${k.id} must be 32 bytes`);
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  return {
    seal(plaintext, associatedData) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', active.key, iv);
      cipher.setAAD(Buffer.from(associatedData));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return { ciphertext, iv, tag: cipher.getAuthTag(), keyId: active.id };
    },
    open(sealed, associatedData) {
      const key = byId.get(sealed.keyId);
      if (!key) throw new Error(`encryption key ${sealed.keyId} is not configured`);
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
      decipher.setAAD(Buffer.from(associatedData));
      decipher.setAuthTag(sealed.tag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
    },
  };
}
