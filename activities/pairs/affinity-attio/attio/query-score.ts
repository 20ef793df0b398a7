/**
 * Attio's list-records and list-entries queries (`POST …/records/query`, `…/entries/query`) are also
 * limited by a complexity score summed over a sliding 10-second window across every app and token of
 * the workspace. Attio says the score grows with the query's filters and sorts and with the number
 * of records (entries) in the object (list), and publishes neither the formula nor the limit.
 *
 * Freight's approximation, on purpose on the high side per query and unit-less: 1 for the query,
 * plus 1 per filter condition, plus 1 per sort. The object's size is unknown to the caller and is
 * absorbed in the budget: by default QUERY_SCORE_PER_READ units per allowed read per second, per
 * 10 s window (1,000 at Attio's 100 reads/s; unpaced when reads are), configurable. It is paced
 * evenly like the other budgets (never a burst) and backs off on 429 like them, so a wrong guess
 * costs a few 429s and then the rate adapts.
 */
export const QUERY_SCORE_PER_READ = 10;

/** True for the endpoints the score limit applies to. */
export function isScoredQuery(method: string, path: string): boolean {
  return method === 'POST' && /\/(records|entries)\/query$/.test(path);
}

/** The estimated score of one query body (`{ filter?, sorts?, limit?, offset? }`). */
export function queryScore(body: unknown): number {
  const b = (body ?? {}) as { filter?: unknown; sorts?: unknown };
  const sorts = Array.isArray(b.sorts) ? b.sorts.length : 0;
  return 1 + conditions(b.filter) + sorts;
}

/** Leaf conditions of a filter: shorthand `{attr: value}`, verbose `{attr: {$op: v, …}}`, `$and`/`$or`/`$not`, paths. */
function conditions(filter: unknown): number {
  if (filter === null || typeof filter !== 'object') return 0;
  if (Array.isArray(filter)) return filter.reduce((n: number, f) => n + conditions(f), 0);
  let n = 0;
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' || key === '$or' || key === '$not') n += Math.max(1, conditions(value));
    else if (key !== 'path') n += Math.max(1, leafCount(value));
  }
  return n;
}

/** Comparisons under one attribute: each operator or sub-attribute counts once. */
function leafCount(value: unknown): number {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 1;
  return Object.values(value).reduce((n: number, v) => n + (v !== null && typeof v === 'object' && !Array.isArray(v) ? leafCount(v) : 1), 0);
}
