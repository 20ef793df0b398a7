import { Worker, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Logger } from '../shared/logger.ts';
import { WORKER_TUNING } from './worker-tuning.ts';

export interface NamespaceManagerOptions {
  connection: NativeConnection;
  bundle: WorkflowBundleWithSourceMap;
  activities: object;
  taskQueue: string;
  logger: Logger;
  maxCachedWorkflows: number;
  maxConcurrentActivities: number;
  shutdownGraceMs: number;
  /**
   * From the start of a Worker's shutdown, when it stops waiting for activities that ignored their
   * cancellation (longer than the grace period); its run() then fails and the process moves on.
   */
  shutdownForceMs: number;
  /** A Worker no namespace demand has asked for during this long is stopped. */
  idleStopMs: number;
  now?: () => number;
}

interface Running {
  worker: Worker;
  done: Promise<void>;
  lastDemand: number;
}

export interface NamespaceManager {
  /** Starts a Worker for the namespace if none runs; refreshes its idle clock either way. */
  ensure(namespace: string): Promise<void>;
  /** Stops Workers whose namespace has not been demanded for idleStopMs and have nothing in flight. */
  stopIdle(): Promise<string[]>;
  running(): string[];
  /**
   * Graceful, and bounded: pollers stop, in-flight activities get the grace period to finish, are
   * then cancelled, and by the force time every Worker has stopped (or been given up on).
   */
  shutdown(): Promise<void>;
}

/** One Worker per tenant namespace that has work, all sharing one connection and one bundle. */
export function createNamespaceManager(options: NamespaceManagerOptions): NamespaceManager {
  const now = options.now ?? Date.now;
  const workers = new Map<string, Running>();
  const starting = new Map<string, Promise<void>>();

  async function start(namespace: string): Promise<void> {
    const log = options.logger.child({ namespace });
    const worker = await Worker.create({
      connection: options.connection,
      namespace,
      taskQueue: options.taskQueue,
      workflowBundle: options.bundle,
      activities: options.activities,
      maxCachedWorkflows: options.maxCachedWorkflows,
      maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities,
      shutdownGraceTime: options.shutdownGraceMs,
      shutdownForceTime: options.shutdownForceMs,
      ...WORKER_TUNING,
    });
    const done = worker.run().then(
      () => log.info('worker stopped'),
      (err: unknown) => log.error({ err }, 'worker failed'),
    ).finally(() => {
      if (workers.get(namespace)?.worker === worker) workers.delete(namespace);
    });
    workers.set(namespace, { worker, done, lastDemand: now() });
    log.info({ taskQueue: options.taskQueue }, 'worker started');
  }

  return {
    async ensure(namespace) {
      const existing = workers.get(namespace);
      if (existing) {
        existing.lastDemand = now();
        return;
      }
      let pending = starting.get(namespace);
      if (!pending) {
        pending = start(namespace).finally(() => starting.delete(namespace));
        starting.set(namespace, pending);
      }
      await pending;
    },
    async stopIdle() {
      const stopped: string[] = [];
      for (const [namespace, running] of workers) {
        const status = running.worker.getStatus();
        const busy = status.numInFlightActivities > 0 || status.numInFlightWorkflowActivations > 0;
        if (busy || now() - running.lastDemand < options.idleStopMs) continue;
        running.worker.shutdown();
        await running.done;
        stopped.push(namespace);
      }
      return stopped;
    },
    running: () => [...workers.keys()],
    async shutdown() {
      await Promise.allSettled([...starting.values()]);
      const all = [...workers.values()];
      for (const running of all) {
        if (running.worker.getState() === 'RUNNING') running.worker.shutdown();
      }
      await Promise.all(all.map((r) => r.done));
    },
  };
}
