import { AffinityApiError } from '../errors.ts';

/**
 * v1 page tokens are opaque; this one carries the offset and a signature of the path and every other query
 * parameter, so a follow-up request that changes them is refused like Affinity does.
 */
export interface PageRequest {
  offset: number;
  pageSize: number;
  /** Whether the client asked for paging explicitly (page_size or page_token present). */
  paged: boolean;
}

const INVALID_TOKEN = 'Invalid page_token variable';

function signature(path: string, query: URLSearchParams): string {
  const pairs: string[] = [];
  for (const [key, value] of query) if (key !== 'page_token') pairs.push(`${key}=${value}`);
  return `${path}?${pairs.sort().join('&')}`;
}

export function parsePage(path: string, query: URLSearchParams, maxPageSize: number): PageRequest {
  const rawSize = query.get('page_size');
  let pageSize = maxPageSize;
  if (rawSize !== null) {
    const n = Number(rawSize);
    if (!Number.isInteger(n) || n < 1 || n > maxPageSize) {
      throw new AffinityApiError(422, `page_size must be an integer between 1 and ${maxPageSize}`, 'page_size');
    }
    pageSize = n;
  }
  const token = query.get('page_token');
  if (token === null || token === '') return { offset: 0, pageSize, paged: rawSize !== null };
  let decoded: { o?: unknown; s?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; s?: unknown };
  } catch {
    throw new AffinityApiError(422, INVALID_TOKEN, 'page_token');
  }
  if (typeof decoded.o !== 'number' || !Number.isInteger(decoded.o) || decoded.o < 0 || decoded.s !== signature(path, query)) {
    throw new AffinityApiError(422, INVALID_TOKEN, 'page_token');
  }
  return { offset: decoded.o, pageSize, paged: true };
}

/** Token for the page after [offset, offset + pageSize) of `total` items; null when that was the last. */
export function nextToken(path: string, query: URLSearchParams, page: PageRequest, total: number): string | null {
  const next = page.offset + page.pageSize;
  if (next >= total) return null;
  return Buffer.from(JSON.stringify({ o: next, s: signature(path, query) }), 'utf8').toString('base64url');
}

/** Builds `{ [key]: items, next_page_token }` for items addressed by position. */
export function pageOf<T>(key: string, path: string, query: URLSearchParams, page: PageRequest, total: number, at: (position: number) => T): Record<string, unknown> {
  const items: T[] = [];
  const end = Math.min(total, page.offset + page.pageSize);
  for (let p = page.offset; p < end; p += 1) items.push(at(p));
  return { [key]: items, next_page_token: nextToken(path, query, page, total) };
}
