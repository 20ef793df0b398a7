import { AffinityApiError } from '../errors.ts';

/**
 * v2 cursor pagination (spec: `Pagination {nextUrl, prevUrl}`, query `cursor` and `limit`). A cursor is
 * opaque: this one carries the offset and the query of the first request, so `nextUrl` is just
 * `<path>?cursor=…` as in the spec's examples, and a follow-up keeps the first request's limit and field
 * selection whatever else it sends.
 */
export interface CursorPage {
  offset: number;
  limit: number;
  /** The query the pages are of (the first request's, without `cursor`). */
  query: URLSearchParams;
}

interface Decoded {
  o: number;
  p: string;
  q: string;
}

export interface LimitRule {
  /** Spec default of `limit` for this endpoint (100 for most, 20 for notes, 25 for merges). */
  defaultLimit: number;
  /** Smallest accepted `limit` (1 for most, 0 for notes). */
  min: number;
}

export const STANDARD_LIMIT: LimitRule = { defaultLimit: 100, min: 1 };
export const MAX_LIMIT = 100;

export function parseCursor(path: string, query: URLSearchParams, rule: LimitRule = STANDARD_LIMIT): CursorPage {
  const cursor = query.get('cursor');
  let offset = 0;
  let base = query;
  if (cursor !== null) {
    const decoded = decode(cursor);
    if (!decoded || decoded.p !== path) throw new AffinityApiError(400, 'Invalid cursor', 'cursor');
    offset = decoded.o;
    base = new URLSearchParams(decoded.q);
  } else {
    base = new URLSearchParams(query);
  }
  const raw = base.get('limit');
  let limit = rule.defaultLimit;
  if (raw !== null) {
    const n = Number(raw);
    if (raw === '' || !Number.isInteger(n) || n < rule.min || n > MAX_LIMIT) {
      throw new AffinityApiError(400, `limit must be an integer between ${rule.min} and ${MAX_LIMIT}`, 'limit');
    }
    limit = n;
  }
  return { offset, limit, query: base };
}

function decode(cursor: string): Decoded | undefined {
  try {
    const d = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<Decoded>;
    if (typeof d.o !== 'number' || !Number.isInteger(d.o) || d.o < 0 || typeof d.p !== 'string' || typeof d.q !== 'string') return undefined;
    return d as Decoded;
  } catch {
    return undefined;
  }
}

function urlAt(baseUrl: string, path: string, page: CursorPage, offset: number): string {
  const cursor = Buffer.from(JSON.stringify({ o: offset, p: path, q: page.query.toString() }), 'utf8').toString('base64url');
  return `${baseUrl}${path}?cursor=${cursor}`;
}

/** `{data, pagination: {prevUrl, nextUrl}}` over items addressed by position. */
export function cursorPageOf<T>(baseUrl: string, path: string, page: CursorPage, total: number, at: (position: number) => T, extra: Record<string, unknown> = {}): { data: T[]; pagination: Record<string, unknown> } {
  const data: T[] = [];
  const end = Math.min(total, page.offset + page.limit);
  for (let p = page.offset; p < end; p += 1) data.push(at(p));
  return {
    data,
    pagination: {
      prevUrl: page.offset > 0 ? urlAt(baseUrl, path, page, Math.max(0, page.offset - page.limit)) : null,
      // limit 0 (allowed on notes) asks for no items: no next page either, or a client would loop forever.
      nextUrl: end < total && page.limit > 0 ? urlAt(baseUrl, path, page, end) : null,
      ...extra,
    },
  };
}

/** Repeated query parameters (`?fieldIds=a&fieldIds=b`, spec style form + explode). */
export const listParam = (query: URLSearchParams, name: string): string[] => query.getAll(name).filter((v) => v !== '');
