import { validationType } from '../errors.ts';

export interface Paging {
  limit: number;
  offset: number;
}

/** limit/offset from a body or query; `max` bounds limit (no silent capping: a short page means "done"). */
export function parsePaging(rawLimit: unknown, rawOffset: unknown, defaults: { limit: number; max: number }): Paging {
  const limit = rawLimit === undefined || rawLimit === null || rawLimit === '' ? defaults.limit : Number(rawLimit);
  const offset = rawOffset === undefined || rawOffset === null || rawOffset === '' ? 0 : Number(rawOffset);
  if (!Number.isInteger(limit) || limit < 1 || limit > defaults.max) throw validationType(`limit must be an integer between 1 and ${defaults.max}`);
  if (!Number.isInteger(offset) || offset < 0) throw validationType('offset must be a non-negative integer');
  return { limit, offset };
}

/** Returns rows in insertion order, dropping deleted ones first if needed. */
export function ordered<T extends { id: string }>(holder: { order: T[]; orderDirty: boolean }, live: Map<string, T>): T[] {
  if (holder.orderDirty) {
    holder.order = holder.order.filter((row) => live.get(row.id) === row);
    holder.orderDirty = false;
  }
  return holder.order;
}

/** One page of the rows matching `keep`, without building the full match list. */
export function pageWhere<T>(rows: readonly T[], keep: (row: T) => boolean, paging: Paging): T[] {
  const out: T[] = [];
  let skipped = 0;
  for (const row of rows) {
    if (!keep(row)) continue;
    if (skipped < paging.offset) {
      skipped += 1;
      continue;
    }
    out.push(row);
    if (out.length === paging.limit) break;
  }
  return out;
}
