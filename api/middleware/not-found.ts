import type { NotFoundHandler } from 'hono';
import { MethodNotAllowedError, NotFoundError } from '../../shared/errors.ts';
import type { AppEnv } from '../types.ts';
import { errorResponse } from './error-handler.ts';

interface KnownPath {
  pattern: RegExp;
  methods: Set<string>;
}

/** A Hono route path (`/v1/jobs/:jobId`, `/ui/*`) as an anchored regular expression. */
function pathPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}$`);
}

function knownPaths(routes: readonly { method: string; path: string }[]): KnownPath[] {
  const byPath = new Map<string, Set<string>>();
  for (const r of routes) {
    // `ALL` entries are middleware (app.use), not endpoints.
    if (r.method === 'ALL') continue;
    const methods = byPath.get(r.path) ?? new Set<string>();
    methods.add(r.method.toUpperCase());
    // Hono answers HEAD with the GET handler.
    if (r.method.toUpperCase() === 'GET') methods.add('HEAD');
    byPath.set(r.path, methods);
  }
  return [...byPath].map(([path, methods]) => ({ pattern: pathPattern(path), methods }));
}

/**
 * The app's `notFound`: a path some route serves, asked with a method none of them takes, answers
 * 405 with `Allow` (uniform error body); anything else 404. `routes` is read at the first miss, when
 * every route is registered.
 */
export function createNotFoundHandler(routes: () => readonly { method: string; path: string }[]): NotFoundHandler<AppEnv> {
  let table: KnownPath[] | undefined;
  return (c) => {
    table ??= knownPaths(routes());
    const allowed = new Set<string>();
    for (const known of table) if (known.pattern.test(c.req.path)) for (const m of known.methods) allowed.add(m);
    if (allowed.size > 0 && !allowed.has(c.req.method)) return errorResponse(c, new MethodNotAllowedError(c.req.method, [...allowed].sort()));
    return errorResponse(c, new NotFoundError(`Route ${c.req.method} ${c.req.path}`));
  };
}
