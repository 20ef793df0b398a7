import type { Clock } from '../http/sleep.ts';

/** A clock for tests of concurrent pacing: sleepers wake in time order, and no real time passes. */
export interface VirtualClock extends Clock {
  t: number;
  /** Runs `main` to completion, advancing time to each next sleeper whenever nothing else can run. */
  run<T>(main: () => Promise<T>): Promise<T>;
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function createVirtualClock(start = 1_000_000): VirtualClock {
  const timers: Array<{ at: number; seq: number; wake: () => void }> = [];
  let seq = 0;
  const clock: VirtualClock = {
    t: start,
    now: () => clock.t,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        signal?.throwIfAborted();
        const timer = { at: clock.t + Math.max(0, ms), seq: (seq += 1), wake: resolve };
        timers.push(timer);
        signal?.addEventListener('abort', () => {
          const i = timers.indexOf(timer);
          if (i >= 0) timers.splice(i, 1);
          reject(signal.reason as Error);
        }, { once: true });
      });
    },
    async run(main) {
      let done = false;
      const result = main().finally(() => {
        done = true;
      });
      for (;;) {
        await settle();
        if (done) return result;
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers.shift();
        if (!next) {
          await settle();
          if (done) return result;
          throw new Error('virtual clock: nothing left to wake and the test is not done');
        }
        clock.t = Math.max(clock.t, next.at);
        next.wake();
      }
    },
  };
  return clock;
}
