import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Sql } from '../shared/db/client.ts';
import type { Logger } from '../shared/logger.ts';
import { beat, markStopped } from '../shared/ops/worker-liveness.ts';

export interface HeartbeatOptions {
  sql: Sql;
  logger: Logger;
  taskQueue: string;
  intervalMs: number;
  /** Namespaces this process currently serves (read at every beat). */
  namespaces: () => string[];
  workerId?: string;
}

export interface Heartbeat {
  workerId: string;
  /** Stops beating and marks the worker stopped, so it drops out of `live` at once. */
  stop(): Promise<void>;
}

/**
 * Upserts this worker's row in `freight.worker_heartbeats` now and every `intervalMs`. A failed beat
 * (database restarting) is logged and retried at the next tick; it never stops the worker.
 */
export async function startHeartbeat(options: HeartbeatOptions): Promise<Heartbeat> {
  const workerId = options.workerId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const startedAt = new Date();
  const once = (): Promise<void> => beat(options.sql, {
    workerId, hostname: hostname(), pid: process.pid, taskQueue: options.taskQueue, namespaces: options.namespaces(), startedAt,
  }).catch((err: unknown) => options.logger.warn({ err, workerId }, 'worker heartbeat failed'));
  await once();
  let pending: Promise<void> = Promise.resolve();
  const timer = setInterval(() => { pending = once(); }, options.intervalMs);
  timer.unref();
  return {
    workerId,
    async stop() {
      clearInterval(timer);
      await pending;
      await markStopped(options.sql, workerId).catch((err: unknown) => options.logger.warn({ err, workerId }, 'could not mark worker stopped'));
    },
  };
}
