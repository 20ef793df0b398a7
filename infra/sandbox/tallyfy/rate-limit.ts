import { z } from 'zod';

/**
 * Tallyfy's published limits [DOC]: 600 requests per minute per user token, rolling, plus short burst
 * throttling; per organisation 120 comments and 30 invites per hour. A refused request is not counted.
 * 0 turns a limit off.
 *
 * `burstPerSecond`: Tallyfy publishes that bursts are throttled but not the number. Unset, it is perMinute / 30
 * (20 in any rolling second at 600/min: twice the average rate), and off with perMinute off (inferred).
 * `windowScale` is a sandbox-only knob for time-compressed benchmarks: every window (minute, hour, burst
 * second) is multiplied by it, so 0.01 makes the hour 36 s. Retry-After stays in whole seconds (at least 1).
 */
export const TallyfyLimitsSchema = z.object({
  perMinute: z.number().int().min(0).default(600),
  burstPerSecond: z.number().int().min(0).optional(),
  commentsPerHour: z.number().int().min(0).default(120),
  invitesPerHour: z.number().int().min(0).default(30),
  windowScale: z.number().positive().max(1000).default(1),
});
export type TallyfyLimits = z.infer<typeof TallyfyLimitsSchema>;
export type TallyfyLimitsInput = z.input<typeof TallyfyLimitsSchema>;

export type CapKind = 'comments' | 'invites';

export type Admission =
  | { ok: true; remaining: number }
  | { ok: false; retryAfter: number; remaining: number; message: string };

export interface TallyfyRateLimiter {
  limits(): TallyfyLimits;
  update(patch: unknown): TallyfyLimits;
  replace(next: unknown): TallyfyLimits;
  /** Checks the token's minute and burst windows and, for a comment or an invite, the organisation's hourly cap. */
  admit(token: string, cap?: CapKind): Admission;
  reset(): void;
}

/** Timestamps of admitted requests in one rolling window (a head index, compacted now and then: O(1) per call). */
class RollingLog {
  private times: number[] = [];
  private head = 0;
  constructor(private readonly windowMs: () => number) {}
  used(now: number): number {
    const from = now - this.windowMs();
    while (this.head < this.times.length && (this.times[this.head] as number) <= from) this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }
  /** Seconds until the oldest admitted request leaves the window (at least 1). */
  retryAfter(now: number): number {
    const oldest = this.times[this.head] ?? now;
    return Math.max(1, Math.ceil((oldest + this.windowMs() - now) / 1000));
  }
  add(now: number): void {
    this.times.push(now);
  }
}

export function createTallyfyRateLimiter(initial: TallyfyLimitsInput, now: () => number): TallyfyRateLimiter {
  let limits = TallyfyLimitsSchema.parse(initial);
  const scaled = (ms: number) => () => ms * limits.windowScale;
  let minute = new Map<string, RollingLog>();
  let burst = new Map<string, RollingLog>();
  let caps = { comments: new RollingLog(scaled(3_600_000)), invites: new RollingLog(scaled(3_600_000)) };
  const logOf = (map: Map<string, RollingLog>, token: string, windowMs: number) => {
    let log = map.get(token);
    if (!log) map.set(token, (log = new RollingLog(scaled(windowMs))));
    return log;
  };

  return {
    limits: () => limits,
    update: (patch) => (limits = TallyfyLimitsSchema.parse({ ...limits, ...(patch as object) })),
    replace: (next) => (limits = TallyfyLimitsSchema.parse(next ?? {})),
    admit(token, cap) {
      const t = now();
      const burstLimit = limits.burstPerSecond ?? Math.ceil(limits.perMinute / 30);
      const perMinute = logOf(minute, token, 60_000);
      const perSecond = logOf(burst, token, 1_000);
      const usedMinute = perMinute.used(t);
      const remaining = limits.perMinute === 0 ? 0 : Math.max(0, limits.perMinute - usedMinute);
      if (limits.perMinute > 0 && usedMinute >= limits.perMinute) {
        return { ok: false, retryAfter: perMinute.retryAfter(t), remaining: 0, message: `You've reached the limit of ${limits.perMinute} requests per minute.` };
      }
      if (burstLimit > 0 && perSecond.used(t) >= burstLimit) {
        return { ok: false, retryAfter: perSecond.retryAfter(t), remaining, message: 'Too many requests in a short burst.' };
      }
      if (cap) {
        const limit = cap === 'comments' ? limits.commentsPerHour : limits.invitesPerHour;
        const log = caps[cap];
        if (limit > 0 && log.used(t) >= limit) {
          return { ok: false, retryAfter: log.retryAfter(t), remaining, message: `You've reached the hourly limit for ${cap} (${limit} per hour for this organization).` };
        }
        log.add(t);
      }
      // Nothing is kept for a limit that is off (throughput runs send 100,000s of requests a minute).
      if (limits.perMinute > 0) perMinute.add(t);
      if (burstLimit > 0) perSecond.add(t);
      return { ok: true, remaining: limits.perMinute === 0 ? 0 : remaining - 1 };
    },
    reset() {
      minute = new Map();
      burst = new Map();
      caps = { comments: new RollingLog(scaled(3_600_000)), invites: new RollingLog(scaled(3_600_000)) };
    },
  };
}
