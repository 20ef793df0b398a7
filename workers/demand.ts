import type { Sql } from '../shared/db/client.ts';
import { withAdminScope } from '../shared/db/scope.ts';
import type { Logger } from '../shared/logger.ts';
import type { NamespaceManager } from './namespace-manager.ts';
import type { ReconcileResult } from './reconcile.ts';

/** Channel on which the API announces "this namespace needs a worker now" (job start, signal). */
export const DEMAND_CHANNEL = 'freight_worker_demand';

export interface DemandLoopOptions {
  sql: Sql;
  manager: NamespaceManager;
  logger: Logger;
  intervalMs: number;
  /** How long a job that finished with errors keeps its workflow open for retries. */
  retryWindowHours?: number;
  /** Brings job rows and workflows back in step (workers/reconcile.ts), every `reconcileEveryMs`. */
  reconcile?: () => Promise<ReconcileResult>;
  reconcileEveryMs?: number;
}

export interface DemandLoop {
  stop(): Promise<void>;
}

/**
 * Namespaces whose workflows may need a Worker: tenants with a job that is not finished, or that
 * finished with errors recently enough that its workflow still waits for retry signals (those can
 * come straight from `temporal workflow signal`, which tells us nothing).
 */
async function demandedNamespaces(sql: Sql, retryWindowHours: number): Promise<string[]> {
  const rows = await withAdminScope(sql, { actor: 'worker', reason: 'worker demand poll', audit: false }, (tx) =>
    tx<{ namespace: string }[]>`
      select distinct namespace from freight.jobs
      where status in ('pending', 'running', 'paused')
         or (status = 'completed_with_errors' and finished_at > now() - make_interval(hours => ${retryWindowHours}))`);
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
  let lastReconcile = 0;
  const reconcile = async (): Promise<void> => {
    if (!options.reconcile || Date.now() - lastReconcile < (options.reconcileEveryMs ?? 30_000)) return;
    lastReconcile = Date.now();
    const { started, settled } = await options.reconcile();
    if (started.length + settled.length > 0) logger.info({ started, settled }, 'reconciled jobs with their workflows');
  };
  const tick = async (): Promise<void> => {
    try {
      // First: a job it starts is pending, so this same poll brings up its namespace's Worker.
      await reconcile();
      for (const namespace of await demandedNamespaces(sql, options.retryWindowHours ?? 24)) ensure(namespace);
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
