/**
 * Request counters for the sandbox stats endpoint: totals plus a per-second series, so a benchmark can
 * read the write rate the target actually saw and how many calls were refused.
 */
export interface SecondBucket {
  second: number;
  requests: number;
  /** Writes accepted (below 400) in this second. */
  writes: number;
  /** Write requests of any outcome, refused ones included: what the callers tried to send. */
  writeRequests: number;
  rateLimited: number;
}

export interface StatsSnapshot {
  since: string;
  requests: number;
  reads: number;
  writes: number;
  /** Writes answered below 400 (what the target actually accepted), and when the first and last were. */
  writesAccepted: number;
  firstWriteAt: string | null;
  lastWriteAt: string | null;
  byStatus: Record<string, number>;
  rateLimited: number;
  injected429: number;
  injected5xx: number;
  serverErrors: number;
  resets: number;
  poisonRejections: number;
  writesPerSecond: { last: number; peak: number; average: number };
  /** Peak of write requests in one second, refused ones included. */
  writeRequestsPeak: number;
  perSecond: SecondBucket[];
}

export type RequestOutcome = {
  status: number;
  /**
   * When the request was admitted (the rate limiter's moment): its second in the series. Default: now.
   * A request admitted at x.999 s and answered at (x+1).001 s counts in second x, as in the limiter.
   */
  at?: number;
  /** A write request (POST/PUT/PATCH/DELETE that is not a query). */
  write: boolean;
  /** Status came from fault injection rather than the API logic. */
  injected?: boolean;
  poison?: boolean;
};

export interface Stats {
  /** The clock of the series (the server's `now`). */
  now(): number;
  recordOutcome(outcome: RequestOutcome): void;
  recordReset(): void;
  /** `seconds`: how much of the per-second series to include (default 60, at most the 300 kept). */
  snapshot(seconds?: number): StatsSnapshot;
  reset(): void;
}

const KEEP_SECONDS = 300;

export function createStats(now: () => number): Stats {
  let since = now();
  let totals = emptyTotals();
  let buckets: SecondBucket[] = [];

  const bucket = (at = now()): SecondBucket => {
    const second = Math.floor(at / 1000);
    // Usually the last bucket; a slow request admitted a second or two ago finds its own further back.
    let i = buckets.length - 1;
    while (i >= 0 && (buckets[i] as SecondBucket).second > second) i -= 1;
    const found = buckets[i];
    if (found && found.second === second) return found;
    const fresh = { second, requests: 0, writes: 0, writeRequests: 0, rateLimited: 0 };
    buckets.splice(i + 1, 0, fresh);
    if (buckets.length > KEEP_SECONDS) buckets = buckets.slice(-KEEP_SECONDS);
    return fresh;
  };

  return {
    now,
    recordOutcome({ status, at, write, injected, poison }) {
      const b = bucket(at);
      b.requests += 1;
      totals.requests += 1;
      totals.byStatus[status] = (totals.byStatus[status] ?? 0) + 1;
      if (write) {
        totals.writes += 1;
        b.writeRequests += 1;
        if (status < 400) {
          b.writes += 1;
          totals.writesAccepted += 1;
          const at = new Date(now()).toISOString();
          totals.firstWriteAt ??= at;
          totals.lastWriteAt = at;
        }
      } else totals.reads += 1;
      if (status === 429) {
        totals.rateLimited += 1;
        b.rateLimited += 1;
        if (injected) totals.injected429 += 1;
      }
      if (status >= 500) {
        totals.serverErrors += 1;
        if (injected) totals.injected5xx += 1;
      }
      if (poison) totals.poisonRejections += 1;
    },
    recordReset() {
      totals.resets += 1;
      bucket().requests += 1;
      totals.requests += 1;
    },
    snapshot(seconds = 60) {
      const current = Math.floor(now() / 1000);
      // Only whole seconds count for rates: the current one is still filling.
      const complete = buckets.filter((b) => b.second < current);
      const withWrites = complete.filter((b) => b.writes > 0);
      const lastComplete = complete[complete.length - 1];
      return {
        since: new Date(since).toISOString(),
        ...totals,
        byStatus: { ...totals.byStatus },
        writesPerSecond: {
          last: lastComplete && lastComplete.second === current - 1 ? lastComplete.writes : 0,
          peak: withWrites.reduce((max, b) => Math.max(max, b.writes), 0),
          average: withWrites.length === 0 ? 0 : withWrites.reduce((sum, b) => sum + b.writes, 0) / withWrites.length,
        },
        writeRequestsPeak: complete.reduce((max, b) => Math.max(max, b.writeRequests), 0),
        // The last minute by default (a display series); totals cover everything since the last reset.
        perSecond: buckets.slice(-Math.min(KEEP_SECONDS, Math.max(1, Math.floor(seconds)))).map((b) => ({ ...b })),
      };
    },
    reset() {
      since = now();
      totals = emptyTotals();
      buckets = [];
    },
  };
}

function emptyTotals() {
  return {
    requests: 0, reads: 0, writes: 0, writesAccepted: 0, firstWriteAt: null as string | null, lastWriteAt: null as string | null,
    byStatus: {} as Record<string, number>, rateLimited: 0,
    injected429: 0, injected5xx: 0, serverErrors: 0, resets: 0, poisonRejections: 0,
  };
}
