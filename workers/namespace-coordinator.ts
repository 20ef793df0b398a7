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
  /** One round: renew, take and give up leases; start and stop Workers to match. Rounds must not overlap. */
  sync(demand: readonly DemandedNamespace[]): Promise<void>;
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
  const held = new Set<string>();
  const urgent = new Set<string>();
  let unserved = 0;
  let lastWarn = -Infinity;

  const start = (namespace: string): void => {
    manager.ensure(namespace).catch(async (err: unknown) => {
      logger.error({ err, namespace }, 'could not start worker; giving its namespace lease up');
      held.delete(namespace);
      await leases.release([namespace]).catch((e: unknown) => logger.warn({ err: e, namespace }, 'could not release namespace lease'));
    });
  };

  /** Renews, takes leases up to the cap, and starts (or refreshes) the Workers of the demanded ones. */
  async function leaseRound(demand: readonly DemandedNamespace[], demanded: ReadonlySet<string>): Promise<string[]> {
    const round = await leases.round({
      held: [...held], candidates: leaseCandidates(demand, urgent, held), cap, demanded: demand.map((d) => d.namespace),
    });
    const kept = new Set(round.kept);
    const lost = [...held].filter((n) => !kept.has(n));
    if (lost.length > 0) {
      // Another process took them over (this one could not renew in time): its Workers serve them now.
      logger.warn({ namespaces: lost }, 'namespace leases lost to another worker process; stopping their workers');
      for (const n of lost) held.delete(n);
      await Promise.all(lost.map((n) => manager.stop(n)));
    }
    for (const { namespace, previous } of round.acquired) {
      held.add(namespace);
      if (previous && previous !== options.workerId) logger.info({ namespace, previous }, 'took over the namespace lease of a worker that stopped renewing it');
    }
    for (const n of [...urgent]) if (held.has(n) || !demanded.has(n)) urgent.delete(n);
    for (const n of held) if (demanded.has(n)) start(n);
    return round.unserved;
  }

  return {
    async sync(demand) {
      const demanded = new Set(demand.map((d) => d.namespace));
      let waiting = await leaseRound(demand, demanded);
      const pressure = waiting.length > 0 && held.size >= cap;
      const stopped = await manager.stopWhere((view) => shouldStop(view, { demanded, pressure, idleStopMs: options.idleStopMs, yieldAfterMs: options.yieldAfterMs }));
      if (stopped.length > 0) {
        for (const n of stopped) held.delete(n);
        await leases.release(stopped);
        logger.info({ namespaces: stopped, pressure }, pressure ? 'stopped quiet workers to make room for waiting namespaces' : 'stopped idle workers');
        // The places just freed go to waiting namespaces now rather than a round later.
        if (pressure) waiting = await leaseRound(demand, demanded);
      }
      unserved = waiting.length;
      if (pressure && now() - lastWarn >= (options.warnEveryMs ?? 60_000)) {
        lastWarn = now();
        logger.warn({ unserved, cap, served: held.size, first: waiting.slice(0, 10) }, 'namespaces wait for a worker: every process is at its cap (their tasks queue in Temporal)');
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
