/** Test support for the Process Street sandbox tests (not used by the server). */
import { expect } from 'vitest';
import type { LooseJson } from '../test-client.ts';

export interface Fetched {
  status: number;
  headers: Headers;
  text: string;
  body: LooseJson;
}

export function psClient(baseUrl: string, key: string | undefined, headerName = 'X-API-KEY') {
  return async (path: string): Promise<Fetched> => {
    const res = await fetch(path.startsWith('http') ? path : `${baseUrl}${path}`, { headers: key === undefined ? {} : { [headerName]: key } });
    const text = await res.text();
    const json = (res.headers.get('content-type') ?? '').startsWith('application/json') && text !== '';
    return { status: res.status, headers: res.headers, text, body: json ? JSON.parse(text) : undefined };
  };
}

/**
 * Follows `links[name=next]` to the end, checking what every page must be: 20 items on every page but the
 * last, an absolute next href that keeps the first request's query, no next link on the last page, no totals.
 */
export async function walkPages(get: ReturnType<typeof psClient>, rootUrl: string, path: string, key: string): Promise<{ items: LooseJson[]; pages: number }> {
  const items: LooseJson[] = [];
  const firstQuery = new URLSearchParams(path.split('?')[1] ?? '');
  let url: string | undefined = path;
  let pages = 0;
  while (url) {
    const res = await get(url);
    expect(res.status, url).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual([key, 'links'].sort());
    const page = res.body[key] as LooseJson[];
    items.push(...page);
    pages += 1;
    const next = (res.body.links as { name: string; href: string; type: string; rel: string }[]).find((l) => l.name === 'next');
    if (next) {
      expect(page).toHaveLength(20);
      expect(next.href.startsWith(`${rootUrl}/api/`)).toBe(true);
      expect(next.type).toBe('Api');
      expect(next.rel).not.toBe('next');
      const nextQuery = new URL(next.href).searchParams;
      for (const [k, v] of firstQuery) if (k !== '_') expect(nextQuery.get(k)).toBe(v);
      expect(nextQuery.get('_')).toBeTruthy();
    } else expect(page.length).toBeLessThanOrEqual(20);
    url = next?.href;
  }
  return { items, pages };
}
