/**
 * The `every` of a delta schedule: whole seconds (≥ 60), a short form (`90s`, `15m`, `6h`, `1d`) or an
 * ISO-8601 duration in days, hours, minutes and seconds (`PT6H`, `P1DT12H`). The pattern admits only
 * intervals of at least a minute, so a string that matches it is always accepted (the OpenAPI
 * document states exactly what the server takes). Years, months and weeks are not accepted: their
 * length in seconds depends on the calendar, and a Temporal interval is a fixed number of seconds.
 */
export const MIN_EVERY_SECONDS = 60;
/** Above anything the pattern admits (its digit counts bound it), within the column's integer range. */
export const MAX_EVERY_SECONDS = 1_000_000_000;

const SHORT = '[1-9]\\d{0,3}d|[1-9]\\d{0,4}h|[1-9]\\d{0,5}m|(?:[6-9]\\d|[1-9]\\d{2,7})s';
const ISO = [
  'P[1-9]\\d{0,2}D(?:T(?:\\d{1,4}H)?(?:\\d{1,4}M)?(?:\\d{1,6}S)?)?',
  'PT[1-9]\\d{0,3}H(?:\\d{1,4}M)?(?:\\d{1,6}S)?',
  'PT[1-9]\\d{0,5}M(?:\\d{1,6}S)?',
  'PT(?:[6-9]\\d|[1-9]\\d{2,7})S',
].join('|');
export const EVERY_PATTERN = `^(?:${SHORT}|${ISO})$`;
const EVERY_RE = new RegExp(EVERY_PATTERN);

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400, S: 1, M: 60, H: 3_600, D: 86_400 };

/**
 * Seconds of an `every` value, or null when it is not one (wrong shape, under a minute, or more than the pattern's digits allow). ISO-8601: `M` after `T` is minutes (months are refused by the pattern).
 */
export function everySeconds(every: number | string): number | null {
  let seconds: number;
  if (typeof every === 'number') {
    if (!Number.isInteger(every)) return null;
    seconds = every;
  } else {
    if (!EVERY_RE.test(every)) return null;
    seconds = 0;
    for (const [, n, unit] of every.replace(/^P/, '').replace('T', '').matchAll(/(\d+)([smhdSMHD])/g)) {
      seconds += Number(n) * (UNIT_SECONDS[unit as string] ?? 0);
    }
  }
  return seconds >= MIN_EVERY_SECONDS && seconds <= MAX_EVERY_SECONDS ? seconds : null;
}
