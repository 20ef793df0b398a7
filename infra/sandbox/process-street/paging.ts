import { reply, type JsonReply } from '../core/respond.ts';
import { InvalidQueryError } from './errors.ts';

/** Items per page: 20 where the spec says so, and imitated where it only says "paged" (reference "Pagination", inferred there). */
export const PAGE_SIZE = 20;

export interface PageRequest {
  /** Scheme and host the client called: next links are absolute. */
  baseUrl: string;
  /** Request path without the query. */
  path: string;
  query: URLSearchParams;
}

/** The `_` cursor: opaque to clients; here base64url of "o:<offset>". A cursor that does not decode is a bad query value. */
export function offsetOf(query: URLSearchParams): number {
  const raw = query.get('_');
  if (raw === null) return 0;
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!match || Buffer.from(`o:${match[1]}`).toString('base64url') !== raw) throw new InvalidQueryError('_');
  return Number(match[1]);
}

const cursorAt = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');

/**
 * One page `{[key]: items, links}`. `links` holds `next` (absolute href: the same path and filters with
 * a new `_`) while more items follow, and nothing at the end; no totals, as in the API.
 */
export function pageOf<T>(page: PageRequest, key: string, rel: string, items: readonly T[], render: (item: T) => unknown = (x) => x): JsonReply {
  const offset = offsetOf(page.query);
  const end = Math.min(items.length, offset + PAGE_SIZE);
  const slice = items.slice(offset, end).map(render);
  const links: { name: string; href: string; rel: string; type: 'Api' }[] = [];
  if (end < items.length) {
    const next = new URLSearchParams(page.query);
    next.set('_', cursorAt(end));
    links.push({ name: 'next', href: `${page.baseUrl}${page.path}?${next.toString()}`, rel, type: 'Api' });
  }
  return reply(200, { [key]: slice, links });
}

/** A query parameter restricted to `allowed`; absent → undefined; anything else is a bad query value. */
export function enumParam<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[]): T | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw new InvalidQueryError(name);
  return raw as T;
}
