/** Normalisers for the value types Attio indexes: emails, domains, phone numbers. */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;
/** Second-level suffixes under which the registrable domain has three labels. */
const TWO_LEVEL_SUFFIXES = new Set(['co.uk', 'org.uk', 'ac.uk', 'com.au', 'co.jp', 'com.br', 'co.nz', 'co.in']);

export function rootDomain(domain: string): string {
  const labels = domain.split('.');
  const lastTwo = labels.slice(-2).join('.');
  return TWO_LEVEL_SUFFIXES.has(lastTwo) && labels.length > 2 ? labels.slice(-3).join('.') : lastTwo;
}

export interface EmailParts {
  original_email_address: string;
  email_address: string;
  email_domain: string;
  email_root_domain: string;
  email_local_specifier: string;
}

/** Emails compare case-insensitively: the stored/indexed form is lower case. */
export function parseEmail(raw: string): EmailParts | undefined {
  const trimmed = raw.trim();
  if (!EMAIL.test(trimmed)) return undefined;
  const lower = trimmed.toLowerCase();
  const at = lower.lastIndexOf('@');
  const domain = lower.slice(at + 1);
  return {
    original_email_address: trimmed,
    email_address: lower,
    email_domain: domain,
    email_root_domain: rootDomain(domain),
    email_local_specifier: lower.slice(0, at),
  };
}

/** Accepts "acme.com", "https://acme.com/about", "ACME.com"; stores the lower-case host. */
export function parseDomain(raw: string): { domain: string; root_domain: string } | undefined {
  let host = raw.trim().toLowerCase();
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  host = host.split(/[/?#]/, 1)[0] ?? '';
  host = host.replace(/:\d+$/, '').replace(/\.$/, '');
  if (!HOSTNAME.test(host)) return undefined;
  return { domain: host, root_domain: rootDomain(host) };
}

/** Keeps a leading + and the digits; needs 5–15 digits (E.164 bounds, loosely). */
/**
 * Country of an international number by its calling code (longest prefix first). Attio returns every
 * phone number with a country code (the spec makes it a required, non-null string) and infers it
 * from the number as a phone library does; this covers the common codes, +1 taken as the US.
 */
const CALLING_CODES: Record<string, string> = {
  1: 'US', 7: 'RU', 20: 'EG', 27: 'ZA', 30: 'GR', 31: 'NL', 32: 'BE', 33: 'FR', 34: 'ES', 36: 'HU', 39: 'IT', 40: 'RO', 41: 'CH', 43: 'AT',
  44: 'GB', 45: 'DK', 46: 'SE', 47: 'NO', 48: 'PL', 49: 'DE', 51: 'PE', 52: 'MX', 54: 'AR', 55: 'BR', 56: 'CL', 57: 'CO', 60: 'MY',
  61: 'AU', 62: 'ID', 63: 'PH', 64: 'NZ', 65: 'SG', 66: 'TH', 81: 'JP', 82: 'KR', 84: 'VN', 86: 'CN', 90: 'TR', 91: 'IN', 92: 'PK',
  234: 'NG', 254: 'KE', 351: 'PT', 353: 'IE', 358: 'FI', 372: 'EE', 380: 'UA', 420: 'CZ', 852: 'HK', 886: 'TW', 971: 'AE', 972: 'IL',
};

const CODE_OF_COUNTRY = new Map(Object.entries(CALLING_CODES).map(([code, country]) => [country, code]));

function countryOfNumber(digits: string): string | undefined {
  for (let length = 3; length >= 1; length -= 1) {
    const country = CALLING_CODES[digits.slice(0, length)];
    if (country) return country;
  }
  return undefined;
}

/**
 * A phone number as Attio stores it: E.164 digits and a country code, given (ISO 3166-1 alpha-2) or read
 * from an international number's calling code. Undefined when it is no number, or its country cannot be told.
 */
export function parsePhone(raw: string, countryCode: string | null): { original_phone_number: string; country_code: string; phone_number: string } | undefined {
  const trimmed = raw.trim();
  if (!/^[+\d\s().-]+$/.test(trimmed)) return undefined;
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < 5 || digits.length > 15) return undefined;
  const international = trimmed.startsWith('+');
  const country = countryCode !== null ? (/^[A-Z]{2}$/.test(countryCode) ? countryCode : undefined) : international ? countryOfNumber(digits) : undefined;
  if (!country) return undefined;
  // A national number gets its country's calling code in place of the trunk 0 (020 7946 0000 in GB → +442079460000).
  const code = international ? '' : (CODE_OF_COUNTRY.get(country) ?? '');
  return { original_phone_number: trimmed, country_code: country, phone_number: `+${code}${code ? digits.replace(/^0/, '') : digits}` };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(raw: string): boolean {
  const m = DATE.exec(raw);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** ISO 8601 → canonical UTC string; undefined when not ISO or not a real instant. */
export function parseTimestamp(raw: string): string | undefined {
  if (!ISO_TIMESTAMP.test(raw)) return undefined;
  const ms = Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : raw);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
