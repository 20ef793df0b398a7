/**
 * Attio's score-based limit on records and entries queries: "summed across all apps and access tokens"
 * of a workspace over a sliding 10-second window; the score grows with the query's filters and sorts and
 * with the size of the object or list queried. Attio publishes neither formula nor limit, so this one is
 * the sandbox's own — deliberately not Freight's client estimate (activities/pairs/affinity-attio/attio/query-score.ts):
 * the client has to live with a limit it can only guess, as against the real API.
 */
export const QUERY_WINDOW_MS = 10_000;

/** 1 per query, per filter condition and per sort, plus 1 per started 5,000 rows of what is queried. */
export function sandboxQueryScore(body: unknown, rows: number): number {
  const b = (body ?? {}) as { filter?: unknown; sorts?: unknown };
  const sorts = Array.isArray(b.sorts) ? b.sorts.length : 0;
  return 1 + leaves(b.filter) + sorts + Math.ceil(rows / 5_000);
}

function leaves(filter: unknown): number {
  if (filter === null || typeof filter !== 'object') return 0;
  if (Array.isArray(filter)) return filter.reduce((n: number, f) => n + leaves(f), 0);
  let n = 0;
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'path') continue;
    n += key.startsWith('$') && typeof value === 'object' ? Math.max(1, leaves(value)) : 1;
  }
  return n;
}

export interface QueryScoreWindow {
  /** undefined when admitted (and counted); otherwise the Retry-After HTTP date when enough of the window has passed. */
  admit(workspace: string, score: number, limitPer10s: number): string | undefined;
  reset(): void;
}

export function createQueryScoreWindow(now: () => number): QueryScoreWindow {
  let spent = new Map<string, Array<{ at: number; score: number }>>();
  return {
    admit(workspace, score, limit) {
      if (limit <= 0) return undefined;
      const t = now();
      const recent = (spent.get(workspace) ?? []).filter((e) => e.at > t - QUERY_WINDOW_MS);
      spent.set(workspace, recent);
      let used = recent.reduce((n, e) => n + e.score, 0);
      if (used + score <= limit) {
        recent.push({ at: t, score });
        return undefined;
      }
      // The moment enough of the window has aged out for this query to fit (a query above the limit alone: a full window).
      let free = t + QUERY_WINDOW_MS;
      for (const e of recent) {
        used -= e.score;
        if (used + score <= limit) {
          free = e.at + QUERY_WINDOW_MS;
          break;
        }
      }
      return new Date(Math.ceil(free / 1000) * 1000).toUTCString();
    },
    reset() {
      spent = new Map();
    },
  };
}
