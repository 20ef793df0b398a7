import { z } from 'zod';

/**
 * Process Street publishes no numbers: only "all requests are limited; on 429 wait Retry-After". The
 * sandbox limits each API key to `perSecond` requests (default 10 — inferred, reference "Rate limits")
 * with a bucket of one second's worth; 0 turns the limit off.
 */
export const ProcessStreetLimitsSchema = z.object({
  perSecond: z.number().min(0).default(10),
});
export type ProcessStreetLimits = z.infer<typeof ProcessStreetLimitsSchema>;
export type ProcessStreetLimitsInput = z.input<typeof ProcessStreetLimitsSchema>;

export interface ProcessStreetRateLimiter {
  limits(): ProcessStreetLimits;
  update(patch: unknown): ProcessStreetLimits;
  replace(next: unknown): ProcessStreetLimits;
  /** Takes a token for `key` or says how many whole seconds to wait (≥ 1, the Retry-After value). */
  admit(key: string): { ok: true } | { ok: false; retryAfterSec: number };
  reset(): void;
}

export function createProcessStreetRateLimiter(initial: ProcessStreetLimitsInput, now: () => number): ProcessStreetRateLimiter {
  let limits = ProcessStreetLimitsSchema.parse(initial);
  let buckets = new Map<string, { tokens: number; at: number }>();
  const set = (next: ProcessStreetLimits) => {
    limits = next;
    buckets = new Map();
    return limits;
  };
  return {
    limits: () => limits,
    update: (patch) => set(ProcessStreetLimitsSchema.parse({ ...limits, ...(patch as object) })),
    replace: (next) => set(ProcessStreetLimitsSchema.parse(next ?? {})),
    admit(key) {
      const rate = limits.perSecond;
      if (rate === 0) return { ok: true };
      const at = now();
      const capacity = Math.max(1, rate);
      const bucket = buckets.get(key) ?? { tokens: capacity, at };
      bucket.tokens = Math.min(capacity, bucket.tokens + ((at - bucket.at) / 1000) * rate);
      bucket.at = at;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterSec: Math.max(1, Math.ceil((1 - bucket.tokens) / rate)) };
    },
    reset() {
      buckets = new Map();
    },
  };
}
