import { hashInts } from '../../core/prng.ts';

/** Kinds of object, folded into id hashes so two kinds never share an id. */
export const KIND = {
  user: 1, group: 2, workflow: 3, task: 4, field: 5, revision: 6, run: 7, runTask: 8, comment: 9, attachment: 10,
  file: 11, widget: 12, item: 13, column: 14,
} as const;

/**
 * A Process Street "Muid": 22 URL-safe characters (the reference calls ids opaque 22-char URL-safe
 * strings). Here: base64url of 16 bytes hashed from (seed, kind, index…), so the same seed gives the same ids.
 */
export function muid(seed: number, kind: number, ...index: number[]): string {
  const bytes = Buffer.alloc(16);
  for (let word = 0; word < 4; word += 1) bytes.writeUInt32BE(hashInts(seed, kind, word, ...index), word * 4);
  return bytes.toString('base64url');
}

/** Fixed origin of the organisation's timeline: timestamps must not depend on when the sandbox starts. */
export const EPOCH = Date.UTC(2024, 0, 2, 9, 0, 0, 0);
export const DAY_MS = 86_400_000;

/** ISO-8601 UTC with milliseconds, as the API writes timestamps. */
export const iso = (ms: number) => new Date(ms).toISOString();

/** Label-derived key, as Process Street derives form-field keys from labels (inferred). */
export function slug(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'field';
}
