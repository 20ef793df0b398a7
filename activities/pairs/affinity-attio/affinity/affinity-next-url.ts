import { ConnectorError } from '../../../connectors/connector-error.ts';

/**
 * Checks a v2 `pagination.nextUrl` before following it and returns it relative to the configured
 * API (path under the base URL's path, plus query). The URL comes from the tenant's Affinity
 * account, i.e. from outside: following it blindly would let a response send our key to any host.
 * Only the configured origin and paths under its `/v2/` are accepted.
 */
export function relativeNextUrl(nextUrl: string, baseUrl: string): { path: string; query: Array<[string, string]> } {
  let next: URL;
  try {
    next = new URL(nextUrl);
  } catch {
    throw refuse(nextUrl, 'not an absolute URL');
  }
  const base = new URL(baseUrl.replace(/\/+$/, ''));
  const basePath = base.pathname.replace(/\/+$/, '');
  if (next.origin !== base.origin) throw refuse(nextUrl, `origin ${next.origin} is not the configured ${base.origin}`);
  if (next.username || next.password) throw refuse(nextUrl, 'carries credentials');
  if (!next.pathname.startsWith(`${basePath}/v2/`)) throw refuse(nextUrl, 'path is not under /v2/');
  // Dot segments are already resolved by the URL parser; encoded ones would survive it.
  if (/%2e|%2f/i.test(next.pathname)) throw refuse(nextUrl, 'path has encoded separators');
  return { path: next.pathname.slice(basePath.length), query: [...next.searchParams.entries()] };
}

function refuse(nextUrl: string, why: string): ConnectorError {
  return new ConnectorError({ kind: 'config', message: `Affinity pagination.nextUrl refused (${why}): ${nextUrl.slice(0, 120)}` });
}
