import type { Sql } from '../shared/db/client.ts';
import { withAdminScope } from '../shared/db/scope.ts';
import type { Logger } from '../shared/logger.ts';
import type { NamespaceManager } from './namespace-manager.ts';

/** Channel on which the API announces "this namespace needs a worker now" (job start, signal). */
export const DEMAND_CHANNEL = 'freight_worker_demand';

export interface DemandLoopOptions {
  sql: Sql;
  manager: NamespaceManager;
  logger: Logger;
  intervalMs: number;
}

export interface DemandLoop {
  stop(): Promise<void>;
}

/** Namespaces that need a Worker: every active tenant's (to be narrowed to tenants with live jobs). */
async function demandedNamespaces(sql: Sql): Promise<string[]> {
  const rows = await withAdminScope(sql, { actor: 'worker', reason: 'worker demand poll', audit: false }, (tx) =>
    tx<{ namespace: string }[]>`select namespace from freight.tenants where status = 'active'`);
  return rows.map((r) => r.namespace);
}

/**
 * Keeps the namespace manager in step with demand: an immediate reaction to NOTIFY from the API,
 * and a periodic poll that also recovers after restarts or a missed notification.
 */
export async function startDemandLoop(options: DemandLoopOptions): Promise<DemandLoop> {
  const { sql, manager, logger } = options;
  let stopped = false;
  const ensure = (namespace: string): void => {
    manager.ensure(namespace).catch((err: unknown) => logger.error({ err, namespace }, 'could not start worker'));
  };
  const listener = await sql.listen(DEMAND_CHANNEL, (namespace) => {
    if (!stopped && namespace) ensure(namespace);
  });
  const tick = async (): Promise<void> => {
    try {
      for (const namespace of await demandedNamespaces(sql)) ensure(namespace);
      const idle = await manager.stopIdle();
      if (idle.length > 0) logger.info({ namespaces: idle }, 'stopped idle workers');
    } catch (err) {
      logger.warn({ err }, 'demand poll failed; will retry');
    }
  };
  await tick();
  const timer = setInterval(() => void tick(), options.intervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await listener.unlisten();
    },
  };
}
