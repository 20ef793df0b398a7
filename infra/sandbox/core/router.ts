/**
 * A tiny method + path-segment router. The sandbox answers thousands of requests a second, so routes are
 * matched segment by segment against pre-split patterns (no regex, no framework dispatch).
 */
export type RouteParams = Record<string, string>;

interface Route<H> {
  method: string;
  pattern: string;
  segments: string[];
  handler: H;
}

export type RouteMatch<H> =
  /** `pattern` is the route as added (e.g. `/v2/lists/:list`): per-route rules key on it. */
  | { kind: 'found'; handler: H; params: RouteParams; pattern: string }
  | { kind: 'method_not_allowed' }
  | { kind: 'not_found' };

export interface Router<H> {
  add(method: string, pattern: string, handler: H): Router<H>;
  match(method: string, segments: readonly string[]): RouteMatch<H>;
}

/** Splits a path into non-empty, URI-decoded segments. */
export function splitPath(pathname: string): string[] {
  const out: string[] = [];
  for (const part of pathname.split('/')) {
    if (part === '') continue;
    try {
      out.push(decodeURIComponent(part));
    } catch {
      out.push(part);
    }
  }
  return out;
}

export function createRouter<H>(): Router<H> {
  const routes: Route<H>[] = [];
  const router: Router<H> = {
    add(method, pattern, handler) {
      routes.push({ method, pattern, segments: splitPath(pattern), handler });
      return router;
    },
    match(method, segments) {
      let pathMatched = false;
      for (const route of routes) {
        if (route.segments.length !== segments.length) continue;
        const params: RouteParams = {};
        let ok = true;
        for (let i = 0; i < route.segments.length; i += 1) {
          const expected = route.segments[i] as string;
          const actual = segments[i] as string;
          if (expected.startsWith(':')) params[expected.slice(1)] = actual;
          else if (expected !== actual) {
            ok = false;
            break;
          }
        }
        if (!ok) continue;
        pathMatched = true;
        if (route.method === method) return { kind: 'found', handler: route.handler, params, pattern: route.pattern };
      }
      return pathMatched ? { kind: 'method_not_allowed' } : { kind: 'not_found' };
    },
  };
  return router;
}
