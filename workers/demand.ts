import type { Sql } from '../shared/db/client.ts';
import { withAdminScope } from '../shared/db/scope.ts';
import { DEMAND_CHANNEL } from '../shared/jobs/worker-demand.ts';
import type { Logger } from '../shared/logger.ts';
import type { DemandedNamespace } from './lease-plan.ts';
import type { NamespaceCoordinator } from './namespace-coordinator.ts';
import type { ReconcileResult } from './reconcile.ts';

export interface DemandLoopOptions {
  sql: Sql;
  coordinator: NamespaceCoordinator;
  logger: Logger;
  intervalMs: number;
  /** How long a job that finished with errors keeps its workflow open for retries. */
  retryWindowHours?: number;
  /** Brings job rows and workflows back in step (workers/reconcile.ts), every `reconcileEveryMs`. */
  reconcile?: () => Promise<ReconcileResult>;
  reconcileEveryMs?: number;
  /** What is demanded (tests pass their own); every tenant's jobs in the database by default. */
  demand?: () => Promise<DemandedNamespace[]>;
}

export interface DemandLoop {
  stop(): Promise<void>;
}

/**
 * Namespaces whose workflows may need a Worker: tenants with a job that is not finished, or that
 * finished with errors recently enough that its workflow still waits for retry signals (those can
 * come straight from `temporal workflow signal`, which tells us nothing), or with a webhook delivery
 * still pending (its retries may run for hours after the job ended), or with a delta schedule
 * not deleted and not ended (its Temporal schedule starts a tick workflow there every interval; one paused
 * here may be unpaused with the `temporal` CLI). Those with jobs to run first,
 * the longest waiting first.
 */
export async function demandedNamespaces(sql: Sql, retryWindowHours: number): Promise<DemandedNamespace[]> {
  return withAdminScope(sql, { actor: 'worker', reason: 'worker demand poll', audit: false }, (tx) =>
    tx<DemandedNamespace[]>`
      select namespace, bool_or(active) as active from (
        select namespace, status in ('pending', 'running', 'paused') as active, created_at
        from freight.jobs
        where status in ('pending', 'running', 'paused')
           or (status = 'completed_with_errors' and finished_at > now() - make_interval(hours => ${retryWindowHours}))
        union all
        select t.namespace, false, d.created_at
        from freight.webhook_deliveries d join freight.tenants t on t.id = d.tenant_id
        where d.status = 'pending'
        union all
        select s.namespace, false, s.created_at
        from freight.delta_schedules s
        where s.deleted_at is null and (s.end_at is null or s.end_at > now())
      ) demand
      group by namespace
      order by active desc, min(created_at), namespace`);
}

/**
 * Keeps this process's Workers in step with demand: an immediate round on NOTIFY from the API, and
 * a periodic one that also renews the namespace leases and recovers after restarts or a missed
 * notification. Rounds never overlap; a notification during one asks for another right after it.
 */
export async function startDemandLoop(options: DemandLoopOptions): Promise<DemandLoop> {
  const { sql, coordinator, logger } = options;
  const demand = options.demand ?? (() => demandedNamespaces(sql, options.retryWindowHours ?? 24));
  let stopped = false;
  let lastReconcile = 0;
  const reconcile = async (): Promise<void> => {
    if (!options.reconcile || Date.now() - lastReconcile < (options.reconcileEveryMs ?? 30_000)) return;
    lastReconcile = Date.now();
    const { started, settled } = await options.reconcile();
    if (started.length + settled.length > 0) logger.info({ started, settled }, 'reconciled jobs with their workflows');
  };
  let reconciling: Promise<void> | undefined;
  const round = async (): Promise<void> => {
    const started = Date.now();
    try {
      // A place freed in the background (a Worker stopped) asks for the next round at once.
      await coordinator.sync(await demand(), () => { if (!stopped) void tick(); });
    } catch (err) {
      logger.warn({ err }, 'demand round failed; will retry');
    }
    const ms = Date.now() - started;
    if (ms > options.intervalMs * 2) logger.warn({ ms }, 'demand round was slow (the namespace leases are renewed once a round)');
    // Beside the rounds, never delaying a lease renewal; a job it starts gets its Worker next round.
    reconciling ??= reconcile()
      .catch((err: unknown) => logger.warn({ err }, 'reconciling jobs failed; will retry'))
      .finally(() => { reconciling = undefined; });
  };

  let current: Promise<void> | undefined;
  let again = false;
  const tick = (): Promise<void> => {
    if (current) {
      again = true;
      return current;
    }
    current = (async () => {
      do {
        again = false;
        await round();
      } while (again && !stopped);
    })().finally(() => { current = undefined; });
    return current;
  };

  const listener = await sql.listen(DEMAND_CHANNEL, (namespace) => {
    if (stopped || !namespace) return;
    coordinator.claim(namespace);
    void tick();
  });
  await tick();
  const timer = setInterval(() => void tick(), options.intervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await listener.unlisten();
      await current;
      await reconciling;
    },
  };
}
