import { Worker, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Logger } from '../shared/logger.ts';
import type { ProcessCapacity, WorkerCapacity } from './process-capacity.ts';
import { WORKER_TUNING } from './worker-tuning.ts';

export interface NamespaceManagerOptions {
  connection: NativeConnection;
  bundle: WorkflowBundleWithSourceMap;
  activities: object;
  taskQueue: string;
  logger: Logger;
  /** The process's budgets, which every Worker draws on (workers/process-capacity.ts). */
  capacity: ProcessCapacity;
  shutdownGraceMs: number;
  /**
   * From the start of a Worker's shutdown, when it stops waiting for activities that ignored their
   * cancellation (longer than the grace period); its run() then fails and the process moves on.
   */
  shutdownForceMs: number;
  now?: () => number;
  /** Creates the Worker (tests pass a stand-in); Worker.create by default. */
  createWorker?: (options: Parameters<typeof Worker.create>[0]) => Promise<ManagedWorker>;
}

/** The part of a Temporal Worker the manager uses. */
export type ManagedWorker = Pick<Worker, 'run' | 'shutdown' | 'getState' | 'getStatus'>;

/** What the manager knows of one running Worker, for the caller's stop decisions. */
export interface WorkerView {
  namespace: string;
  /** Since the namespace was last asked for (ensure). */
  sinceDemandMs: number;
  /** Since an activity last ran on this Worker, or since it started if none has (0 while one runs). */
  quietMs: number;
  /** Whether an activity has run on this Worker at all. */
  worked: boolean;
  /** Since the Worker started. */
  ageMs: number;
}

interface Tracking {
  startedAt: number;
  lastDemand: number;
  lastWork: number;
  activeActivities: number;
  worked: boolean;
}

interface Running extends Tracking {
  worker: ManagedWorker;
  done: Promise<void>;
}

export interface NamespaceManager {
  /** Starts a Worker for the namespace if none runs; refreshes its demand clock either way. */
  ensure(namespace: string): Promise<void>;
  /** Stops the namespace's Worker (gracefully), if it runs. */
  stop(namespace: string): Promise<void>;
  /** The namespaces of the Workers with nothing in flight that `pick` picks (to stop them). */
  idle(pick: (view: WorkerView) => boolean): string[];
  /** Namespaces with a Worker running or starting. */
  running(): string[];
  /**
   * Graceful, and bounded: pollers stop, in-flight activities get the grace period to finish, are
   * then cancelled, and by the force time every Worker has stopped (or been given up on).
   */
  shutdown(): Promise<void>;
}

/**
 * One Worker per tenant namespace this process serves, all sharing one connection, one bundle and
 * the process's slot budgets; the caller (the demand loop, through namespace leases) decides which.
 */
export function createNamespaceManager(options: NamespaceManagerOptions): NamespaceManager {
  const now = options.now ?? Date.now;
  const createWorker = options.createWorker ?? ((o) => Worker.create(o));
  const workers = new Map<string, Running>();
  const starting = new Map<string, Promise<void>>();

  async function start(namespace: string): Promise<void> {
    const log = options.logger.child({ namespace });
    const share: WorkerCapacity = options.capacity.forWorker(namespace);
    const tracking: Tracking = { startedAt: now(), lastDemand: now(), lastWork: now(), activeActivities: 0, worked: false };
    let worker: ManagedWorker;
    try {
      worker = await createWorker({
        connection: options.connection,
        namespace,
        taskQueue: options.taskQueue,
        workflowBundle: options.bundle,
        activities: options.activities,
        ...share.options,
        shutdownGraceTime: options.shutdownGraceMs,
        shutdownForceTime: options.shutdownForceMs,
        // Tells the stop decisions when this tenant last had work (a workflow waiting on a timer or a
        // signal has none, and can give its place up to a namespace that waits).
        interceptors: {
          activity: [() => ({
            inbound: {
              async execute(input, next) {
                tracking.activeActivities += 1;
                tracking.worked = true;
                try {
                  return await next(input);
                } finally {
                  tracking.activeActivities -= 1;
                  tracking.lastWork = now();
                }
              },
            },
          })],
        },
        ...WORKER_TUNING,
      });
    } catch (err) {
      share.release();
      throw err;
    }
    const done = worker.run().then(
      () => log.info('worker stopped'),
      (err: unknown) => log.error({ err }, 'worker failed'),
    ).finally(() => {
      share.release();
      if (workers.get(namespace)?.worker === worker) workers.delete(namespace);
    });
    workers.set(namespace, Object.assign(tracking, { worker, done }));
    log.info({ taskQueue: options.taskQueue, workers: workers.size }, 'worker started');
  }

  async function stopOne(running: Running): Promise<void> {
    if (running.worker.getState() === 'RUNNING') running.worker.shutdown();
    await running.done;
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
    async stop(namespace) {
      await starting.get(namespace)?.catch(() => undefined);
      const running = workers.get(namespace);
      if (running) await stopOne(running);
    },
    idle(pick) {
      const picked: string[] = [];
      for (const [namespace, running] of workers) {
        const status = running.worker.getStatus();
        const busy = running.activeActivities > 0 || status.numInFlightActivities > 0 || status.numInFlightWorkflowActivations > 0;
        if (busy || running.worker.getState() !== 'RUNNING') continue;
        const t = now();
        const view = { namespace, sinceDemandMs: t - running.lastDemand, quietMs: t - running.lastWork, worked: running.worked, ageMs: t - running.startedAt };
        if (pick(view)) picked.push(namespace);
      }
      return picked;
    },
    running: () => [...new Set([...workers.keys(), ...starting.keys()])],
    async shutdown() {
      await Promise.allSettled([...starting.values()]);
      await Promise.all([...workers.values()].map(stopOne));
    },
  };
}
