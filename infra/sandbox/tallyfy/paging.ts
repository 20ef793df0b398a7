import { invalid } from './errors.ts';

export interface PageOptions {
  /** 10 for most lists; 9999 for /users. */
  defaultPerPage: number;
  /** The server cap (100 [CLI]); a larger per_page is cut to it. */
  cap: number;
  /** Runs and run tasks accept without_pagination=true. */
  allowUnpaginated?: boolean;
  /** The request's own URL, to build links.next / links.previous from. */
  selfUrl: string;
}

/**
 * Tallyfy's list envelope: `{data, meta: {pagination: {total, count, per_page, current_page, total_pages, links}}}`;
 * `links` holds `next` / `previous` URLs when there are such pages, and is `[]` when there are none (as the
 * PHP server serialises an empty map). total_pages is at least 1 (Laravel's last page, inferred).
 * `without_pagination=true` answers `{data}` with every row and no meta (inferred).
 */
export function paginate<T>(rows: readonly T[], query: URLSearchParams, options: PageOptions): { data: T[]; meta?: unknown } {
  if (options.allowUnpaginated && query.get('without_pagination') === 'true') return { data: [...rows] };
  const page = readInt(query.get('page'), 1, 'page');
  const perPage = Math.min(readInt(query.get('per_page'), options.defaultPerPage, 'per_page'), options.cap);
  const totalPages = Math.max(1, Math.ceil(rows.length / perPage));
  const data = rows.slice((page - 1) * perPage, page * perPage);
  const link = (to: number) => {
    const url = new URL(options.selfUrl);
    url.searchParams.set('page', String(to));
    url.searchParams.set('per_page', String(perPage));
    return url.toString();
  };
  const links: Record<string, string> = {};
  if (page < totalPages) links.next = link(page + 1);
  if (page > 1) links.previous = link(Math.min(page - 1, totalPages));
  return {
    data,
    meta: { pagination: { total: rows.length, count: data.length, per_page: perPage, current_page: page, total_pages: totalPages, links: Object.keys(links).length === 0 ? [] : links } },
  };
}

function readInt(raw: string | null, fallback: number, field: string): number {
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw invalid(field, `The ${field} must be an integer of at least 1.`);
  return n;
}

/** `with=a,b` → a set of relation names. */
export const withOf = (query: URLSearchParams): Set<string> => new Set((query.get('with') ?? '').split(',').map((s) => s.trim()).filter(Boolean));
