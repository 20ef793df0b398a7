import { invalid } from './errors.ts';

/** Out: ISO 8601 in UTC with a Z, whole seconds (Tallyfy answers ISO Zulu). */
export function isoZulu(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const SPACED = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * In: `YYYY-MM-DD HH:MM:SS` (read as UTC: the reference gives no zone, inferred) or ISO 8601. Anything else
 * is a 422 on `field`.
 */
export function parseDateIn(value: unknown, field: string): number {
  if (typeof value === 'string') {
    const spaced = SPACED.exec(value);
    if (spaced) {
      const [, y, mo, d, h, mi, s] = spaced.map(Number) as number[];
      const ms = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
      if (!Number.isNaN(ms)) return ms;
    }
    if (ISO.test(value)) {
      // A date or a time without a zone is UTC, as a server in UTC reads it (inferred).
      const withZone = value.length === 10 ? `${value}T00:00:00Z` : /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
      const ms = Date.parse(withZone);
      if (!Number.isNaN(ms)) return ms;
    }
  }
  throw invalid(field, `The ${field} is not a valid date (YYYY-MM-DD HH:MM:SS or ISO 8601).`);
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function requireString(body: Record<string, unknown>, field: string, options: { max?: number } = {}): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, `The ${field} field is required.`);
  if (options.max !== undefined && value.length > options.max) throw invalid(field, `The ${field} may not be greater than ${options.max} characters.`);
  return value;
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(field, `The ${field} must be a string.`);
  return value;
}

export function intList(value: unknown, field: string): number[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => !Number.isInteger(v))) throw invalid(field, `The ${field} must be a list of integer ids.`);
  return value as number[];
}

export function stringList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw invalid(field, `The ${field} must be a list of strings.`);
  return value as string[];
}
