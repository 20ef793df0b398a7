import { ConnectorError } from '../../../connectors/connector-error.ts';
import { CONFIG } from '../../../../shared/error-kinds.ts';

/**
 * Checks a `links[name=next].href` before following it and returns it relative to the configured
 * API (path under the base URL's path, plus its query, which keeps the listing's filters). The href
 * comes from the tenant's account, i.e. from outside: following it blindly would send the key to
 * any host. Only the configured origin and paths under its base path are accepted.
 */
export function relativeNextHref(href: string, baseUrl: string): { path: string; query: Array<[string, string]> } {
  // It goes into the cursor (Temporal history) and the path into error messages: keep both small.
  if (href.length > MAX_HREF) throw refuse(`longer than ${MAX_HREF} characters`);
  let next: URL;
  try {
    next = new URL(href);
  } catch {
    throw refuse('not an absolute URL');
  }
  const base = new URL(baseUrl.replace(/\/+$/, ''));
  const basePath = base.pathname.replace(/\/+$/, '');
  if (next.origin !== base.origin) throw refuse('another origin than the configured API');
  if (next.username || next.password) throw refuse('carries credentials');
  if (!next.pathname.startsWith(`${basePath}/`)) throw refuse('path is not under the API base path');
  // Dot segments are resolved by the URL parser; encoded ones would survive it.
  if (/%2e|%2f|%5c/i.test(next.pathname)) throw refuse('path has encoded separators');
  return { path: next.pathname.slice(basePath.length), query: [...next.searchParams.entries()] };
}

const MAX_HREF = 2048;

/** The `href` of the `links` entry named `next` (PS's `rel` is a resource label, never "next"), or null. */
export function nextHrefOf(body: unknown): string | null {
  const links = (body as { links?: unknown } | null)?.links;
  if (!Array.isArray(links)) return null;
  for (const link of links as Array<{ name?: unknown; href?: unknown } | null>) {
    if (link?.name === 'next' && typeof link.href === 'string' && link.href !== '') return link.href;
  }
  return null;
}

// The href itself is not echoed: it is the tenant's data and may be long; the reason is enough to act on.
function refuse(why: string): ConnectorError {
  return new ConnectorError({ kind: CONFIG, message: `Process Street next link refused (${why})` });
}
