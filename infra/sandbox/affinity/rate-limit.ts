import { z } from 'zod';
import type { Headers } from '../core/respond.ts';

/**
 * Affinity's two pools: per-API-key requests per minute and the account's monthly quota. 0 turns a pool
 * off; then its headers and /rate-limit report "unlimited" (Affinity's Enterprise wording, UNCONFIRMED).
 */
export const AffinityLimitsSchema = z.object({
  perMinute: z.number().int().min(0).default(900),
  monthly: z.number().int().min(0).default(100_000),
});
export type AffinityLimits = z.infer<typeof AffinityLimitsSchema>;
export type AffinityLimitsInput = z.input<typeof AffinityLimitsSchema>;

export interface PoolStatus {
  limit: number | 'unlimited';
  remaining: number | 'unlimited';
  reset: number;
  used: number;
}

export interface Admission {
  ok: boolean;
  headers: Headers;
  /** Seconds until the exhausted pool resets (when !ok). */
  retryAfter?: number;
}

export interface AffinityRateLimiter {
  limits(): AffinityLimits;
  update(patch: unknown): AffinityLimits;
  replace(next: unknown): AffinityLimits;
  /** Counts the request against the pools when it fits; a refused request is not counted. */
  admit(key: string, countsMonthly: boolean): Admission;
  status(key: string): { org_monthly: PoolStatus; api_key_per_minute: PoolStatus };
  reset(): void;
}

const MINUTE_MS = 60_000;

export function createAffinityRateLimiter(initial: AffinityLimitsInput, now: () => number): AffinityRateLimiter {
  let limits = AffinityLimitsSchema.parse(initial);
  let minutes = new Map<string, { start: number; used: number }>();
  let month = { key: monthKey(now()), used: 0 };

  const minuteWindow = (key: string, at: number) => {
    let window = minutes.get(key);
    if (!window || at >= window.start + MINUTE_MS) {
      window = { start: at, used: 0 };
      minutes.set(key, window);
    }
    return window;
  };
  const monthWindow = (at: number) => {
    if (monthKey(at) !== month.key) month = { key: monthKey(at), used: 0 };
    return month;
  };
  const pool = (limit: number, used: number, reset: number): PoolStatus => ({
    limit: limit === 0 ? 'unlimited' : limit,
    remaining: limit === 0 ? 'unlimited' : Math.max(0, limit - used),
    reset,
    used,
  });
  const snapshot = (key: string, at: number) => {
    const minute = minuteWindow(key, at);
    const monthly = monthWindow(at);
    return {
      api_key_per_minute: pool(limits.perMinute, minute.used, Math.max(1, Math.ceil((minute.start + MINUTE_MS - at) / 1000))),
      org_monthly: pool(limits.monthly, monthly.used, Math.max(1, Math.ceil((nextMonthStart(at) - at) / 1000))),
    };
  };
  const headersOf = (s: ReturnType<typeof snapshot>): Headers => ({
    'X-Ratelimit-Limit-User': s.api_key_per_minute.limit,
    'X-Ratelimit-Limit-User-Remaining': s.api_key_per_minute.remaining,
    'X-Ratelimit-Limit-User-Reset': s.api_key_per_minute.reset,
    'X-Ratelimit-Limit-Org': s.org_monthly.limit,
    'X-Ratelimit-Limit-Org-Remaining': s.org_monthly.remaining,
    'X-Ratelimit-Limit-Org-Reset': s.org_monthly.reset,
  });

  return {
    limits: () => limits,
    update: (patch) => (limits = AffinityLimitsSchema.parse({ ...limits, ...(patch as object) })),
    replace: (next) => (limits = AffinityLimitsSchema.parse(next ?? {})),
    admit(key, countsMonthly) {
      const at = now();
      const minute = minuteWindow(key, at);
      const monthly = monthWindow(at);
      const before = snapshot(key, at);
      if (limits.perMinute > 0 && minute.used >= limits.perMinute) {
        return { ok: false, headers: headersOf(before), retryAfter: before.api_key_per_minute.reset };
      }
      if (countsMonthly && limits.monthly > 0 && monthly.used >= limits.monthly) {
        return { ok: false, headers: headersOf(before), retryAfter: before.org_monthly.reset };
      }
      minute.used += 1;
      if (countsMonthly) monthly.used += 1;
      return { ok: true, headers: headersOf(snapshot(key, at)) };
    },
    status: (key) => snapshot(key, now()),
    reset() {
      minutes = new Map();
      month = { key: monthKey(now()), used: 0 };
    },
  };
}

function monthKey(at: number): number {
  const d = new Date(at);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

function nextMonthStart(at: number): number {
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}
