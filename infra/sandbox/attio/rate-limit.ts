import { z } from 'zod';
import { createQueryScoreWindow } from './query-score.ts';

/**
 * Attio's limits: reads and writes per second "across the whole API" of a workspace — every token
 * (and app) of the workspace shares them. Counted in fixed windows aligned to wall-clock seconds, so
 * Retry-After (an HTTP date, one-second resolution) names exactly when the window reopens.
 * 0 turns a limit off. A refused request is not counted.
 */
export const AttioLimitsSchema = z.object({
  readsPerSecond: z.number().int().min(0).default(100),
  writesPerSecond: z.number().int().min(0).default(25),
  /**
   * Records/entries query score per sliding 10 s window (query-score.ts); by default 10 × the reads per
   * second (so reads off = queries unscored too). 0 = off.
   */
  queryScorePer10s: z.number().int().min(0).optional(),
});
export type AttioLimits = z.infer<typeof AttioLimitsSchema>;
export type AttioLimitsInput = z.input<typeof AttioLimitsSchema>;

export interface AttioRateLimiter {
  limits(): AttioLimits;
  update(patch: unknown): AttioLimits;
  replace(next: unknown): AttioLimits;
  /** undefined when admitted (and counted) in `workspace`'s window; otherwise the Retry-After HTTP date. */
  admit(workspace: string, write: boolean): string | undefined;
  /** The same for a records/entries query of this score, in the workspace's sliding 10 s window. */
  admitQuery(workspace: string, score: number): string | undefined;
  reset(): void;
}

export function createAttioRateLimiter(initial: AttioLimitsInput, now: () => number): AttioRateLimiter {
  let limits = AttioLimitsSchema.parse(initial);
  let windows = new Map<string, { second: number; reads: number; writes: number }>();
  const queries = createQueryScoreWindow(now);
  return {
    limits: () => limits,
    update: (patch) => (limits = AttioLimitsSchema.parse({ ...limits, ...(patch as object) })),
    replace: (next) => (limits = AttioLimitsSchema.parse(next ?? {})),
    admit(workspace, write) {
      const limit = write ? limits.writesPerSecond : limits.readsPerSecond;
      if (limit === 0) return undefined;
      const second = Math.floor(now() / 1000);
      let window = windows.get(workspace);
      if (!window || window.second !== second) {
        window = { second, reads: 0, writes: 0 };
        windows.set(workspace, window);
      }
      const used = write ? window.writes : window.reads;
      if (used >= limit) return new Date((second + 1) * 1000).toUTCString();
      if (write) window.writes += 1;
      else window.reads += 1;
      return undefined;
    },
    admitQuery(workspace, score) {
      return queries.admit(workspace, score, limits.queryScorePer10s ?? limits.readsPerSecond * 10);
    },
    reset() {
      windows = new Map();
      queries.reset();
    },
  };
}
