import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type KeyEnvironment = 'live' | 'test';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Length of the random part: 32 base62 characters ≈ 190 bits, far beyond guessing. */
export const KEY_RANDOM_LENGTH = 32;
/** Random characters copied into the stored lookup prefix; the rest is only ever hashed. */
export const KEY_PREFIX_RANDOM_LENGTH = 8;
/** Bytes ≥ 248 are dropped so that `byte % 62` is uniform (248 = 4 × 62). */
const UNBIASED_LIMIT = 256 - (256 % BASE62.length);

const KEY_PATTERN = /^frt_(live|test)_([0-9A-Za-z]{32})$/;

/** Uniformly random base62 string from the OS CSPRNG, by rejection sampling. */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= UNBIASED_LIMIT) continue;
      out += BASE62[byte % BASE62.length];
      if (out.length === length) break;
    }
  }
  return out;
}

export interface GeneratedApiKey {
  /** Shown to the caller once and never stored. */
  plaintext: string;
  /** `frt_live_` + the first 8 random characters: the unique, non-secret lookup handle. */
  prefix: string;
  /** SHA-256 of the whole plaintext; what the database keeps. */
  secretHash: Buffer;
  environment: KeyEnvironment;
}

/** Creates a new API key `frt_<env>_<32 base62>`. */
export function generateApiKey(environment: KeyEnvironment): GeneratedApiKey {
  const plaintext = `frt_${environment}_${randomBase62(KEY_RANDOM_LENGTH)}`;
  const parsed = parseApiKey(plaintext);
  if (!parsed) throw new Error('generated API key does not match its own format');
  return { plaintext, prefix: parsed.prefix, secretHash: hashApiKey(plaintext), environment };
}

export interface ParsedApiKey {
  environment: KeyEnvironment;
  prefix: string;
}

/** Recognises a well-formed key and derives its lookup prefix; anything else is null. */
export function parseApiKey(candidate: string): ParsedApiKey | null {
  const match = KEY_PATTERN.exec(candidate);
  if (!match) return null;
  const environment = match[1] as KeyEnvironment;
  const random = match[2] ?? '';
  return { environment, prefix: `frt_${environment}_${random.slice(0, KEY_PREFIX_RANDOM_LENGTH)}` };
}

/** API keys carry enough entropy that a fast hash suffices; there is nothing to brute-force. */
export function hashApiKey(plaintext: string): Buffer {
  return createHash('sha256').update(plaintext, 'utf8').digest();
}

/** Compares a presented key with a stored hash in time independent of where they differ. */
export function apiKeyMatches(plaintext: string, storedHash: Uint8Array): boolean {
  const presented = hashApiKey(plaintext);
  if (storedHash.length !== presented.length) return false;
  return timingSafeEqual(presented, storedHash);
}

/**
 * Constant-time equality of two secrets of any length (the bootstrap admin key): both sides are
 * hashed first, so neither the content nor the length of the expected value leaks through timing.
 */
export function secretEquals(presented: string, expected: string): boolean {
  return timingSafeEqual(hashApiKey(presented), hashApiKey(expected));
}
