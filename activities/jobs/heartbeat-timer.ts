import type { Context } from '@temporalio/activity';

/** How often a running batch activity heartbeats while alive, whatever phase it is in. */
export const HEARTBEAT_EVERY_MS = 3_000;

/**
 * An attempt with neither new progress nor a new step for this long is logged (once per such
 * stretch): the timer keeps it alive whatever it waits on, so the log is where a wait that never
 * ends — as opposed to a long 429 or budget pause, which says what it waits for — shows its step.
 */
export const QUIET_WARN_MS = 120_000;

export interface HeartbeatTimer {
  /** Records new progress (e.g. the committed offset) and heartbeats it now. */
  progress(details: unknown): void;
  /** Names the step the attempt is in now (what a quiet-attempt warning reports). */
  phase(name: string): void;
  /** The last progress: this attempt's latest, else what the previous attempt reported. */
  details(): unknown;
  stop(): void;
}

/**
 * Heartbeats from a timer for as long as the activity runs, so an attempt that is alive is never
 * timed out — in a budget pause, a 429 wait, a slow S3 read or a source page that takes a minute —
 * and one whose worker died is detected within the heartbeat timeout. Every beat repeats the last
 * progress (initially what the previous attempt reported), because a beat without details would
 * erase the offset a retry resumes from. The SDK throttles what reaches the server. `quietWarnMs` is
 * for activities that name their steps (loadBatch, QUIET_WARN_MS); the others never warn (Infinity).
 */
export function startHeartbeatTimer(ctx: Context, everyMs = HEARTBEAT_EVERY_MS, quietWarnMs = Infinity): HeartbeatTimer {
  let last: unknown = ctx.info.heartbeatDetails;
  let step = 'starting';
  let movedAt = Date.now();
  let warnedAt = 0;
  const beat = (): void => {
    ctx.heartbeat(last);
    const now = Date.now();
    if (now - movedAt >= quietWarnMs && now - Math.max(warnedAt, movedAt) >= quietWarnMs) {
      warnedAt = now;
      ctx.log.warn('attempt alive but quiet: no progress and no new step', { step, quietMs: now - movedAt, progress: last });
    }
  };
  beat();
  const timer = setInterval(beat, everyMs);
  // A forgotten stop must not keep the process alive.
  timer.unref();
  return {
    progress(details) {
      last = details;
      movedAt = Date.now();
      beat();
    },
    phase(name) {
      step = name;
      movedAt = Date.now();
    },
    details: () => last,
    stop: () => clearInterval(timer),
  };
}

/** Runs `fn` with a heartbeat timer around it. */
export async function withHeartbeatTimer<T>(ctx: Context, everyMs: number | undefined, fn: (timer: HeartbeatTimer) => Promise<T>): Promise<T> {
  const timer = startHeartbeatTimer(ctx, everyMs);
  try {
    return await fn(timer);
  } finally {
    timer.stop();
  }
}
