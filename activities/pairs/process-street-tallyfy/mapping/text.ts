/**
 * Text helpers of this pair; total, never throw. (The Affinity pair has its own copies in its
 * normalize.ts; once a shared text module exists both should use it.)
 */

// Control characters (except tab/newline) and zero-width/BOM characters picked up from pastes.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200D\u2060\uFEFF]/g;

/** NFC, invisible characters removed, inner whitespace collapsed, trimmed. */
export function cleanText(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/** Like cleanText but keeps line breaks (multi-line values and comments). */
export function cleanMultiline(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value.normalize('NFC').replace(/\r\n?/g, '\n').replace(INVISIBLE, '').replace(/[ \t]+\n/g, '\n').trim();
}

const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;

/** Trimmed, lower-cased email, or null when it is not one. Users are matched on this form. */
export function normalizeEmail(value: unknown): string | null {
  const email = cleanText(value).replace(/^mailto:/i, '').toLowerCase();
  return EMAIL.test(email) ? email : null;
}

/** Cuts to `max` code points without splitting a surrogate pair, adding an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('').trimEnd()}…`;
}

export function charLength(text: string): number {
  return Array.from(text).length;
}
