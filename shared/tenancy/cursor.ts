/**
 * Keyset positions of list pages, as short strings whose format the API document declares as a
 * pattern: every string matching it is a position the list accepts (a made-up one just starts the
 * page somewhere), and nothing else is. Parts are joined by `.`:
 * - `time`: milliseconds since the epoch (up to 13 digits, i.e. until the year 2286);
 * - `uuid`: a lower-case UUID;
 * - `int`: up to 18 digits (a bigint id);
 * - `text`: base64url of UTF-8 (NULs, which PostgreSQL cannot compare, dropped).
 */
export type CursorPart = 'time' | 'uuid' | 'int' | 'text';

const PART_PATTERN: Record<CursorPart, string> = {
  time: '[0-9]{1,13}',
  uuid: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
  int: '[0-9]{1,18}',
  text: '[A-Za-z0-9_-]*',
};

export interface CursorCodec {
  /** Anchored regular expression (source) of every cursor this list accepts. */
  readonly pattern: string;
  encode(values: readonly string[]): string;
  /** The values (times as ISO strings), or undefined for a string that does not match the pattern. */
  decode(raw: string): string[] | undefined;
}

/** A cursor format made of these parts, in order. */
export function cursorCodec(parts: readonly CursorPart[]): CursorCodec {
  const pattern = `^${parts.map((p) => PART_PATTERN[p]).join('\\.')}$`;
  const matcher = new RegExp(pattern);
  return {
    pattern,
    encode(values) {
      return parts.map((part, i) => {
        const v = values[i] ?? '';
        if (part === 'time') return String(Date.parse(v));
        if (part === 'text') return Buffer.from(v, 'utf8').toString('base64url');
        return v.toLowerCase();
      }).join('.');
    },
    decode(raw) {
      if (!matcher.test(raw)) return undefined;
      return raw.split('.').map((v, i) => {
        const part = parts[i];
        if (part === 'time') return new Date(Number(v)).toISOString();
        if (part === 'text') return Buffer.from(v, 'base64url').toString('utf8').split('\u0000').join('');
        return v;
      });
    },
  };
}

/** Lists ordered by (created_at, uuid): tenants, connections, jobs. */
export const PAGE_CURSOR = cursorCodec(['time', 'uuid']);
/** The audit trail, ordered by (occurred_at, bigint id). */
export const AUDIT_CURSOR = cursorCodec(['time', 'int']);
/** A job's batches, ordered by (created_at, batch id). */
export const BATCH_CURSOR = cursorCodec(['time', 'text']);
/** A job's record log, ordered by (object, source id). */
export const RECORD_CURSOR = cursorCodec(['text', 'text']);

/** Keyset position of a (created_at, uuid) list page. */
export interface Cursor {
  createdAt: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return PAGE_CURSOR.encode([cursor.createdAt, cursor.id]);
}

/** The cursor, or undefined for anything that is not one. */
export function decodeCursor(raw: string): Cursor | undefined {
  const [createdAt, id] = PAGE_CURSOR.decode(raw) ?? [];
  return createdAt && id ? { createdAt, id } : undefined;
}
