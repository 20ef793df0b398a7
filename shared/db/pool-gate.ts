/**
 * A client-side bound on the wait for a pooled connection. postgres.js queues a transaction for
 * as long as every connection is busy and offers no limit on that wait, and a queued transaction
 * cannot be withdrawn: it would still run, and commit, after its caller gave up. So transactions
 * pass this gate first (as many at once as the pool has connections): the wait happens here, where
 * it can end — after `waitMs`, or when the caller's signal aborts — before anything reached the
 * driver.
 */
export interface PoolGate {
  /** Resolves with the release function once a permit is free; rejects on timeout or abort. */
  acquire(signal?: AbortSignal): Promise<() => void>;
  stats(): { permits: number; inUse: number; waiting: number };
}

/** The code of the error a timed-out wait rejects with (a transient condition: load, not a bug). */
export const POOL_WAIT_TIMEOUT = 'POOL_WAIT_TIMEOUT';

export class PoolWaitTimeoutError extends Error {
  readonly code = POOL_WAIT_TIMEOUT;
  constructor(waitMs: number, permits: number) {
    super(`no database connection free within ${waitMs} ms (pool of ${permits})`);
    this.name = 'PoolWaitTimeoutError';
  }
}

interface Waiter {
  grant: () => void;
}

/** `waitMs` 0 waits without a bound (the driver's own behaviour). */
export function createPoolGate(permits: number, waitMs: number): PoolGate {
  let inUse = 0;
  const queue: Waiter[] = [];

  const release = (): void => {
    const next = queue.shift();
    if (next) next.grant();
    else inUse -= 1;
  };
  // A permit is released exactly once, whatever the caller does with the function.
  const releaser = (): (() => void) => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      release();
    };
  };

  return {
    acquire(signal) {
      signal?.throwIfAborted();
      if (inUse < permits) {
        inUse += 1;
        return Promise.resolve(releaser());
      }
      return new Promise((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const leave = (err: unknown): void => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          cleanUp();
          reject(err);
        };
        const onAbort = (): void => leave(signal?.reason);
        const cleanUp = (): void => {
          if (timer) clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        };
        // The permit passes straight from the releasing holder to this waiter (inUse unchanged).
        const waiter: Waiter = {
          grant: () => {
            cleanUp();
            resolve(releaser());
          },
        };
        queue.push(waiter);
        if (waitMs > 0) timer = setTimeout(() => leave(new PoolWaitTimeoutError(waitMs, permits)), waitMs);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    stats: () => ({ permits, inUse, waiting: queue.length }),
  };
}
