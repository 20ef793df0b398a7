import type { Sql } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { JOB_EVENTS_CHANNEL } from './job-events.ts';

/**
 * Wakes SSE streams when their job has new events. One LISTEN connection per API process fans
 * notifications out to the subscribers of each job; while it is not connected, subscribers poll.
 */
export interface JobEventListener {
  /** Resolves when `jobId` may have new events, or after the poll interval (never rejects). */
  wait(jobId: string, signal?: AbortSignal): Promise<void>;
  /** True while the LISTEN connection is up (waits then only time out as a safety net). */
  readonly listening: boolean;
  close(): Promise<void>;
}

export interface JobEventListenerOptions {
  sql: Sql;
  logger: Logger;
  /** Wait bound while LISTEN is down (default 1 s). */
  pollMs?: number;
  /** Safety-net wait bound while LISTEN is up, for notifications lost across a reconnect (default 5 s). */
  idleMs?: number;
}

/** Starts listening in the background; `wait` works (by polling) before and without a connection. */
export function createJobEventListener(options: JobEventListenerOptions): JobEventListener {
  const pollMs = options.pollMs ?? 1_000;
  const idleMs = options.idleMs ?? 5_000;
  const waiters = new Map<string, Set<() => void>>();
  let listening = false;
  let unlisten: (() => Promise<void>) | undefined;
  let closed = false;

  const wake = (jobId: string): void => {
    const set = waiters.get(jobId);
    if (!set) return;
    waiters.delete(jobId);
    for (const fn of set) fn();
  };

  options.sql
    .listen(JOB_EVENTS_CHANNEL, (payload) => wake(payload), () => {
      // Called on every (re)connect: events committed while disconnected are found by the next read.
      listening = true;
      for (const jobId of [...waiters.keys()]) wake(jobId);
    })
    .then((sub) => {
      unlisten = sub.unlisten;
      if (closed) void sub.unlisten();
    })
    .catch((err: unknown) => {
      listening = false;
      options.logger.warn({ err }, 'job events LISTEN failed: SSE streams fall back to polling');
    });

  return {
    get listening() {
      return listening;
    },
    wait(jobId, signal) {
      return new Promise<void>((resolve) => {
        const set = waiters.get(jobId) ?? new Set<() => void>();
        waiters.set(jobId, set);
        const done = (): void => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          set.delete(done);
          if (set.size === 0 && waiters.get(jobId) === set) waiters.delete(jobId);
          resolve();
        };
        const timer = setTimeout(done, listening ? idleMs : pollMs);
        signal?.addEventListener('abort', done, { once: true });
        set.add(done);
      });
    },
    async close() {
      closed = true;
      listening = false;
      for (const jobId of [...waiters.keys()]) wake(jobId);
      await unlisten?.().catch(() => undefined);
    },
  };
}
