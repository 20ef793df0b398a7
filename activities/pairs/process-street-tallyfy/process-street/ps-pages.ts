import type { PsClient, PsQuery } from './ps-client.ts';
import { nextHrefOf } from './ps-next-url.ts';

/** Items a page of the reference's listings is documented to hold (no `limit` parameter exists). */
export const PS_PAGE = 20;

/** The items of a listing: under its envelope key (`users`, `tasks`, `fields`…), or `data` on newer endpoints. */
export function itemsOf<T>(body: unknown, key: string): T[] {
  const b = (body ?? {}) as Record<string, unknown>;
  const items = Array.isArray(b[key]) ? b[key] : Array.isArray(b.data) ? b.data : [];
  return items as T[];
}

export interface ListPage<T> {
  items: T[];
  /** The next page's href, or null when the listing ends. */
  next: string | null;
}

/** One page: the first by path and filters, a later one by the href the page before pointed at. */
export async function listPage<T>(client: PsClient, key: string, from: { href: string } | { path: string; query?: PsQuery }, signal?: AbortSignal): Promise<ListPage<T>> {
  const body = 'href' in from ? await client.getNext<unknown>(from.href, signal) : await client.get<unknown>(from.path, from.query ?? [], signal);
  return { items: itemsOf<T>(body, key), next: nextHrefOf(body) };
}

/** Every page of a listing, in order. */
export async function listAll<T>(client: PsClient, key: string, path: string, query: PsQuery, signal?: AbortSignal): Promise<T[]> {
  const all: T[] = [];
  let page = await listPage<T>(client, key, { path, query }, signal);
  all.push(...page.items);
  while (page.next !== null) {
    page = await listPage<T>(client, key, { href: page.next }, signal);
    all.push(...page.items);
  }
  return all;
}

/** Runs `fn` over `items` with at most `limit` in flight, results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next;
      next += 1;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
