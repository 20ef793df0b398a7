/**
 * Date rules.
 * - Date fields: Affinity sends a datetime; Attio wants the calendar date. We keep the date *as
 *   written* (the YYYY-MM-DD prefix) when there is one, because converting a midnight-local value
 *   to UTC would move it to the previous or next day. Otherwise we parse and take the UTC date.
 * - Note timestamps: Attio accepts backdating from 1970 up to now. Earlier values are clamped to
 *   the epoch; future or unreadable ones are left out (Attio then stamps "now"). Both with a warning.
 */
const DATE_PREFIX = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/;

export function toCalendarDate(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  if (typeof value === 'string') {
    const m = DATE_PREFIX.exec(value.trim());
    if (m) return isRealDate(Number(m[1]), Number(m[2]), Number(m[3])) ? `${m[1]}-${m[2]}-${m[3]}` : null;
  }
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) return null;
  const d = new Date(ms);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1 || d.getUTCFullYear() > 9999) return null;
  return d.toISOString().slice(0, 10);
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(2000, m - 1, d));
  dt.setUTCFullYear(y);
  return dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

export type BackdateResult = { createdAt: string; warning?: string } | { createdAt: undefined; warning?: string };

export function toBackdatedTimestamp(value: unknown, now: Date): BackdateResult {
  if (value === null || value === undefined || value === '') return { createdAt: undefined };
  const ms = typeof value === 'string' ? Date.parse(value) : typeof value === 'number' ? value : Number.NaN;
  if (!Number.isFinite(ms)) return { createdAt: undefined, warning: `unreadable created_at ${JSON.stringify(value)}; Attio will use the migration time` };
  if (ms < 0) return { createdAt: new Date(0).toISOString(), warning: `created_at ${String(value)} is before 1970; clamped to 1970-01-01` };
  if (ms > now.getTime()) return { createdAt: undefined, warning: `created_at ${String(value)} is in the future; Attio will use the migration time` };
  return { createdAt: new Date(ms).toISOString() };
}
