/** Normalisation of names, emails and domains; every function is total and never throws. */

// Control characters (except tab/newline) and the zero-width/BOM characters that CRMs pick up from pastes.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200D\u2060\uFEFF]/g;

/** NFC, invisible characters removed, inner whitespace collapsed, trimmed. */
export function cleanText(value: string | null | undefined): string {
  if (typeof value !== 'string') return '';
  return value.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;

/** Lower-cased, trimmed, deduplicated valid emails, primary first. Invalid ones are reported. */
export function normalizeEmails(primary: string | null | undefined, emails: readonly (string | null | undefined)[] | null | undefined): {
  emails: string[];
  invalid: string[];
} {
  const seen = new Set<string>();
  const out: string[] = [];
  const invalid: string[] = [];
  for (const raw of [primary, ...(emails ?? [])]) {
    if (typeof raw !== 'string') continue;
    const email = cleanText(raw).replace(/^mailto:/i, '').toLowerCase();
    if (email === '') continue;
    if (!EMAIL.test(email)) {
      if (!invalid.includes(email)) invalid.push(email);
      continue;
    }
    if (!seen.has(email)) {
      seen.add(email);
      out.push(email);
    }
  }
  return { emails: out, invalid };
}

/**
 * Domains as Attio stores them: host only (scheme, path, port, `www.` dropped), lower case,
 * internationalised names in punycode. Deduplicated, primary first.
 */
export function normalizeDomains(primary: string | null | undefined, domains: readonly (string | null | undefined)[] | null | undefined): {
  domains: string[];
  invalid: string[];
} {
  const seen = new Set<string>();
  const out: string[] = [];
  const invalid: string[] = [];
  for (const raw of [primary, ...(domains ?? [])]) {
    if (typeof raw !== 'string') continue;
    const text = cleanText(raw);
    if (text === '') continue;
    const host = toHost(text);
    if (host === null) {
      if (!invalid.includes(text)) invalid.push(text);
      continue;
    }
    if (!seen.has(host)) {
      seen.add(host);
      out.push(host);
    }
  }
  return { domains: out, invalid };
}

function toHost(text: string): string | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let host: string;
  try {
    host = new URL(withScheme).hostname.toLowerCase();
  } catch {
    return null;
  }
  host = host.replace(/\.$/, '').replace(/^www\./, '');
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) || /^[\d.]+$/.test(host)) return null;
  if (host.split('.').some((label) => label === '' || label.length > 63 || label.startsWith('-') || label.endsWith('-'))) return null;
  return host;
}

/** Lower-case slug fragment from any text (accents folded, other characters → _). */
export function slugify(text: string, maxLength = 40): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, maxLength)
    .replace(/_+$/, '');
  return s;
}

/** Truncates to `max` code points without splitting a surrogate pair, adding an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('').trimEnd()}…`;
}

/** Cuts text to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  // Step back over continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString('utf8');
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
