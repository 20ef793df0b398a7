/**
 * Parses `Retry-After` (delta-seconds or HTTP date) into milliseconds from `nowMs`.
 * Attio sends an HTTP date "usually the next second": with one-second resolution the date may
 * already be in the past when it arrives, so a date never yields less than `minDateWaitMs`.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number, minDateWaitMs = 50): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(minDateWaitMs, at - nowMs);
}

/** Reads an integer header; undefined when absent or not a number. */
export function intHeader(headers: { get(name: string): string | null }, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}
