import type { Rng } from '../core/prng.ts';

/** Ordinary timestamps fall in a fixed window (not relative to "now"), so output never drifts with the clock. */
const WINDOW_START = Date.UTC(2012, 0, 1);
const WINDOW_END = Date.UTC(2024, 11, 31);

/** Valid but awkward instants: the epoch itself, leap days, the last second of a year. */
export const EDGE_DATES = [
  '1970-01-01T00:00:00.000Z',
  '2020-02-29T12:00:00.000Z',
  '2023-12-31T23:59:59.000Z',
  '2024-02-29T00:00:00.000Z',
] as const;

export function randomTimestamp(rng: Rng): string {
  const seconds = rng.int((WINDOW_END - WINDOW_START) / 1000);
  return new Date(WINDOW_START + seconds * 1000).toISOString();
}

/** A timestamp up to `maxDays` after `from`, never past the window end. */
export function laterTimestamp(rng: Rng, from: string, maxDays: number): string {
  const start = Date.parse(from);
  const next = Math.min(start + rng.int(maxDays * 86_400) * 1000, Math.max(start, WINDOW_END));
  return new Date(next).toISOString();
}

export function edgeDate(ordinal: number): string {
  return EDGE_DATES[ordinal % EDGE_DATES.length] as string;
}
