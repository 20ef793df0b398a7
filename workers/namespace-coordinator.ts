import type { Logger } from '../shared/logger.ts';
import { leaseCandidates, shouldStop, type DemandedNamespace } from './lease-plan.ts';
import type { NamespaceLeases } from './namespace-leases.ts';
import type { NamespaceManager } from './namespace-manager.ts';

export interface NamespaceCoordinatorOptions {
  manager: NamespaceManager;
  leases: NamespaceLeases;
  workerId: string;
  /** Most namespaces this process serves (FREIGHT_WORKER_MAX_NAMESPACES). */
  cap: number;
  idleStopMs: number;
  yieldAfterMs: number;
  logger: Logger;
  /** How often at most the "namespaces wait" warning is logged. */
  warnEveryMs?: number;
  now?: () => number;
}

export interface CoordinatorStatus {
  cap: number;
  /** Namespaces this process holds leases on. */
  served: number;
  /** Demanded namespaces no process served after the last round. */
  unserved: number;
}

export interface NamespaceCoordinator {
  /**
   * One round: renew, take and give up leases; start and stop Workers to match. Rounds must not
   * overlap. Workers stop in the background (a round never waits for one); `wake` is called when one
   * stopped under pressure, so that its place goes to a waiting namespace without waiting a round.
   */
  sync(demand: readonly DemandedNamespace[], wake?: () => void): Promise<void>;
  /** The API asked for this namespace: it goes first in the next round. */
  claim(namespace: string): void;
  status(): CoordinatorStatus;
  /** After the Workers have stopped: every lease goes back, for other processes to take at once. */
  releaseAll(): Promise<void>;
}

/**
 * Keeps this process's Workers to the namespaces it holds leases on (workers/namespace-leases.ts),
 * at most `cap` of them: the rest of the demand is served by other worker processes, or waits, its
 * tasks queued in Temporal, until one of them has room.
 */
export function createNamespaceCoordinator(options: NamespaceCoordinatorOptions): NamespaceCoordinator {
  const { manager, leases, logger, cap } = options;
  const now = options.now ?? Date.now;
  /** Leases this process holds, including those of Workers that are stopping (renewed until stopped). */
  const held = new Set<string>();
  /** Held namespaces whose Worker is stopping (idle or yielding its place). */
  const stopping = new Set<string>();
  /** Namespaces whose lease another process took while their Worker here still stops: they count against the cap. */
  const draining = new Set<string>();
  const urgent = new Set<string>();
  let unserved = 0;
  let lastWarn = -Infinity;

  const release = (namespaces: string[]): Promise<void> =>
    leases.release(namespaces).catch((err: unknown) => logger.warn({ err, namespaces }, 'could not release namespace leases (they expire)'));

  const start = (namespace: string): void => {
    manager.ensure(namespace).catch(async (err: unknown) => {
      logger.error({ err, namespace }, 'could not start worker; giving its namespace lease up');
      held.delete(namespace);
      await release([namespace]);
    });
  };

  /** Stops a Worker whose lease this process keeps until it has stopped, then gives the lease up. */
  const retire = (namespace: string, wake: (() => void) | undefined): void => {
    stopping.add(namespace);
    void (async () => {
      try {
        await manager.stop(namespace);
      } catch (err) {
        logger.warn({ err, namespace }, 'worker did not stop cleanly');
      }
      stopping.delete(namespace);
      held.delete(namespace);
      await release([namespace]);
      wake?.();
    })();
  };

  return {
    async sync(demand, wake) {
      const demanded = new Set(demand.map((d) => d.namespace));
      const round = await leases.round({
        held: [...held], candidates: leaseCandidates(demand, urgent, held), cap: cap - draining.size, demanded: demand.map((d) => d.namespace),
      });
      const kept = new Set(round.kept);
      const lost = [...held].filter((n) => !kept.has(n));
      if (lost.length > 0) {
        // Another process took them over (this one could not renew in time): its Workers serve them now.
        logger.warn({ namespaces: lost }, 'namespace leases lost to another worker process; stopping their workers');
        for (const n of lost) {
          held.delete(n);
          stopping.delete(n);
          draining.add(n);
          manager.stop(n).catch((err: unknown) => logger.warn({ err, namespace: n }, 'worker did not stop cleanly')).finally(() => draining.delete(n));
        }
      }
      for (const { namespace, previous } of round.acquired) {
        held.add(namespace);
        if (previous && previous !== options.workerId) logger.info({ namespace, previous }, 'took over the namespace lease of a worker that stopped renewing it');
      }
      for (const n of [...urgent]) if (held.has(n) || !demanded.has(n)) urgent.delete(n);
      for (const n of held) if (demanded.has(n) && !stopping.has(n)) start(n);

      unserved = round.unserved.length;
      const pressure = unserved > 0 && held.size + draining.size >= cap;
      const rules = { demanded, pressure, idleStopMs: options.idleStopMs, yieldAfterMs: options.yieldAfterMs };
      const idle = manager.idle((view) => !stopping.has(view.namespace) && shouldStop(view, rules));
      if (idle.length > 0) {
        logger.info({ namespaces: idle, pressure }, pressure ? 'stopping quiet workers to make room for waiting namespaces' : 'stopping idle workers');
        for (const n of idle) retire(n, pressure ? wake : undefined);
      }
      if (pressure && now() - lastWarn >= (options.warnEveryMs ?? 60_000)) {
        lastWarn = now();
        logger.warn({ unserved, cap, served: held.size, first: round.unserved.slice(0, 10) }, 'namespaces wait for a worker: every process is at its cap (their tasks queue in Temporal)');
      }
    },
    claim(namespace) {
      if (!held.has(namespace)) urgent.add(namespace);
    },
    status: () => ({ cap, served: held.size, unserved }),
    async releaseAll() {
      const all = [...held];
      held.clear();
      await leases.release(all);
    },
  };
}
