import { isConnectionLoss } from '../../shared/db/connection-loss.ts';
import { POOL_WAIT_TIMEOUT } from '../../shared/db/pool-gate.ts';
import type { Context } from '@temporalio/activity';

export type OutageLog = (level: 'warn' | 'info', message: string, meta: Record<string, unknown>) => void;

/** Logs through the activity's logger (it adds the workflow, activity and attempt to each line). */
export function activityLog(ctx: Context): OutageLog {
  return (level, message, meta) => ctx.log[level](message, meta);
}

export interface OutageWaitOptions {
  /** A cheap query: resolves once the database answers again. */
  probe: () => Promise<unknown>;
  /** The activity's cancellation: the wait ends with it. */
  signal: AbortSignal;
  /** Latest moment (epoch ms) to give up waiting and let the error through. */
  deadline: () => number;
  log?: OutageLog | undefined;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
}

/** A database that is away (restart, failover, connections cut), or a pool too busy to answer in time. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    if (isConnectionLoss(e) || (e as { code?: unknown }).code === POOL_WAIT_TIMEOUT) return true;
  }
  return false;
}

/**
 * Runs `fn`, and when it fails because PostgreSQL is unavailable, waits until it answers again and
 * runs `fn` again, inside the same activity attempt. A restart or a failover (a minute or two) then
 * costs the job no retry attempt of its policy — Temporal counts attempts whatever their error —
 * while the activity's heartbeat timer keeps the attempt alive. `fn` must be safe to run again,
 * which every job activity is (they are Temporal-retried the same way). Past the deadline, the
 * error goes to Temporal's retry like any other.
 */
export async function throughDatabaseOutages<T>(fn: () => Promise<T>, o: OutageWaitOptions): Promise<T> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? abortableSleep;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (!isDatabaseUnavailable(err) || o.signal.aborted || now() >= o.deadline()) throw err;
      o.log?.('warn', 'database unavailable; waiting for it inside the attempt', { error: err instanceof Error ? err.message : String(err) });
      const since = now();
      let wait = 250;
      for (;;) {
        await sleep(Math.min(wait, Math.max(0, o.deadline() - now())), o.signal);
        try {
          await o.probe();
          break;
        } catch (probeErr) {
          if (!isDatabaseUnavailable(probeErr) || now() >= o.deadline()) throw err;
        }
        wait = Math.min(wait * 2, 5_000);
      }
      o.log?.('info', 'database answers again; resuming the attempt', { waitedMs: now() - since });
    }
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
