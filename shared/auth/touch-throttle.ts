export interface TouchThrottleOptions {
  /** Minimum time between two `last_used_at` writes for one key. */
  intervalMs: number;
  now?: () => number;
  /** Entries kept before stale ones are swept; bounds memory under many keys. */
  maxEntries?: number;
}

export type TouchThrottle = (keyId: string, lastUsedAt: Date | null) => boolean;

/**
 * Decides whether a key's `last_used_at` is worth writing: a busy key would otherwise cost one
 * UPDATE per request. Per process; several replicas each write at most once per interval.
 */
export function createTouchThrottle(options: TouchThrottleOptions): TouchThrottle {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  const lastTouch = new Map<string, number>();
  return (keyId, lastUsedAt) => {
    const t = now();
    const previous = Math.max(lastTouch.get(keyId) ?? -Infinity, lastUsedAt?.getTime() ?? -Infinity);
    if (t - previous < options.intervalMs) return false;
    if (lastTouch.size >= maxEntries) {
      for (const [id, at] of lastTouch) if (t - at >= options.intervalMs) lastTouch.delete(id);
    }
    lastTouch.set(keyId, t);
    return true;
  };
}
