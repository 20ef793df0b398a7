import { NativeConnection, Runtime } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';
import { createBudgetRegistry } from '../activities/connectors/budget/budget-registry.ts';
import { createPgRateStore } from '../activities/connectors/budget/pg-rate-store.ts';
import { createOutboundDispatcher } from '../activities/connectors/http/outbound-dispatcher.ts';
import { createConnectionService } from '../shared/connections/connections.ts';
import { createSecretBox } from '../shared/crypto/secret-box.ts';
import { loadConfig } from '../shared/config.ts';
import { createSql } from '../shared/db/client.ts';
import { survivePostgresRestarts } from '../shared/db/connection-loss.ts';
import { createLogger } from '../shared/logger.ts';
import { createOutboundPolicy } from '../shared/outbound/outbound-policy.ts';
import { createS3 } from '../shared/s3.ts';
import { createJobWorkflows } from '../shared/jobs/job-workflows.ts';
import { connectTemporal, temporalConnectionOptions } from '../shared/temporal.ts';
import { buildWorkflowBundle } from './bundle.ts';
import { registerCapacityMetrics } from './capacity-metrics.ts';
import { startDemandLoop } from './demand.ts';
import { startHeartbeat } from './heartbeat.ts';
import { startMetricsServer } from './metrics-server.ts';
import { createNamespaceCoordinator } from './namespace-coordinator.ts';
import { createNamespaceLeases } from './namespace-leases.ts';
import { isDeadLocalWorker, localProcessProbe, newWorkerId } from './worker-id.ts';
import { createNamespaceManager } from './namespace-manager.ts';
import { createProcessCapacity } from './process-capacity.ts';
import { createReconciler, temporalWorkflowStatus } from './reconcile.ts';
import { runShutdown, shutdownBudgetMs, type ShutdownStep } from './shutdown.ts';
import { createTemporalLogger } from './temporal-logger.ts';
import { createWorkerMetrics } from './worker-metrics.ts';
import { createDeliveryStarter, startWebhookRelay } from './webhook-relay.ts';
import { createScheduledJobService } from './scheduled-jobs.ts';

/** How often the demand loop runs a round and renews the namespace leases: three times a TTL at least (≥ 15 s). */
const DEMAND_ROUND_MS = 5_000;

// Entrypoint only: config → clients → workers. Everything else is passed in.
const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, name: 'freight-worker' });
survivePostgresRestarts(logger);
// The Runtime must be installed before any connection or Worker exists; with a port set, the SDK
// serves its own metrics (temporal_*: task latencies, schedule-to-start, slots) on <host>:<port>/metrics.
// No shutdown signals of its own: by default it would stop every Worker on SIGINT, SIGTERM, SIGQUIT
// and SIGUSR2 behind this file's back; here SIGINT and SIGTERM run the one bounded shutdown below.
const { host: metricsHost, temporalPort, workerPort } = config.metrics;
Runtime.install({
  logger: createTemporalLogger(logger),
  shutdownSignals: [],
  ...(temporalPort > 0 ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `${metricsHost}:${temporalPort}`, useSecondsForDurations: true } } } } : {}),
});
const metrics = createWorkerMetrics();
// The process's budgets, shared by all of its tenant Workers, and the namespaces it may serve at most.
const capacity = createProcessCapacity(config.worker);
const workerId = newWorkerId();
const processProbe = localProcessProbe();
const metricsServer = workerPort > 0 ? await startMetricsServer({
  registry: metrics.registry, host: metricsHost, port: workerPort, logger, token: config.metrics.token, production: config.env === 'production',
}) : undefined;

const connection = await NativeConnection.connect(await temporalConnectionOptions(config.temporal));
const sql = createSql({ url: config.db.url, max: config.worker.dbPoolMax, logger, applicationName: 'freight-worker', timeouts: config.db.timeouts });
// Rate budgets meet in PostgreSQL (one per Attio workspace, one per Affinity key, across every worker
// process), through a pool of their own: a grant must not queue behind a batch's record-log writes.
const budgetSql = config.connectors.budgetStore === 'postgres'
  ? createSql({ url: config.db.url, max: 2, logger, applicationName: 'freight-budgets', timeouts: config.db.timeouts })
  : undefined;
let lastStoreWarning = 0;
const budgets = createBudgetRegistry({
  ...metrics.budgets,
  store: budgetSql ? createPgRateStore({ sql: budgetSql }) : undefined,
  grantMs: config.connectors.grantMs,
  onStoreError: (err) => {
    // Each failure makes the budget pace alone for a few seconds; one line per minute is enough to see it.
    if (Date.now() - lastStoreWarning < 60_000) return;
    lastStoreWarning = Date.now();
    logger.warn({ err }, 'rate budget store failed: pacing per process meanwhile');
  },
});
const s3 = createS3(config.s3);
const bundle = await buildWorkflowBundle(logger);
const outboundPolicy = createOutboundPolicy({ allowHosts: config.outbound.allowHosts });
if (config.outbound.allowHosts.length > 0) logger.info({ allowHosts: config.outbound.allowHosts }, 'outbound allow-list: these hosts are admitted besides the official APIs');
const secretBox = createSecretBox(config.encryptionKeys);
const credentials = createConnectionService({ sql, secretBox }).getCredentials;
// The client connection of the reconciler, the webhook relay and the delta schedules' job service.
const client = await connectTemporal(config.temporal);
const manager = createNamespaceManager({
  connection,
  bundle,
  activities: createActivities({
    sql, s3, logger, secretBox,
    credentials,
    budgets,
    outbound: { policy: outboundPolicy, dispatcher: createOutboundDispatcher({ policy: outboundPolicy, logger }) },
    metrics: metrics.activities,
    writeConcurrency: config.connectors.writeConcurrency,
    limits: config.connectors,
    // Delta schedule ticks create their jobs as POST /v1/jobs does.
    jobs: createScheduledJobService({ config, sql, connection: client, logger, budgets, outbound: outboundPolicy, credentials }),
  }),
  taskQueue: config.temporal.taskQueue,
  logger,
  capacity,
  shutdownGraceMs: config.worker.shutdownGraceMs,
  shutdownForceMs: config.worker.shutdownForceMs,
});
const coordinator = createNamespaceCoordinator({
  manager, workerId, logger, cap: config.worker.maxNamespaces, idleStopMs: config.worker.idleStopMs, yieldAfterMs: config.worker.yieldAfterMs,
  leases: createNamespaceLeases({
    sql, workerId, taskQueue: config.temporal.taskQueue, ttlMs: config.worker.leaseTtlMs,
    isDeadHolder: (holder) => isDeadLocalWorker(holder, workerId, processProbe),
  }),
});
registerCapacityMetrics(metrics.registry, { capacity, coordinator: coordinator.status });
// The reconciler starts jobs whose workflow start failed and settles rows whose workflow closed
// outside Freight; it starts workflows with the same bounds the API gives them.
const reconcile = createReconciler({
  sql, logger, pendingAfterMs: 60_000, settleAfterMs: 60_000, workflowStatus: temporalWorkflowStatus(client),
  workflows: createJobWorkflows({
    connection: client, taskQueue: config.temporal.taskQueue,
    jobDefaults: { maxHistoryEvents: config.jobs.maxHistoryEvents, retryWindowMs: config.jobs.retryWindowHours * 3_600_000 },
  }),
});
const demand = await startDemandLoop({
  sql, coordinator, logger, intervalMs: DEMAND_ROUND_MS, retryWindowHours: config.jobs.retryWindowHours, reconcile, reconcileEveryMs: 30_000,
});
// Webhook deliveries written to the outbox (with the job events) get their workflow here.
const webhookRelay = config.webhooks.relay ? await startWebhookRelay({
  sql, logger, retry: config.webhooks.retry, intervalMs: config.webhooks.relayIntervalMs,
  start: createDeliveryStarter({ connection: client, taskQueue: config.temporal.taskQueue }),
}) : undefined;
const heartbeat = await startHeartbeat({
  sql, logger, workerId, taskQueue: config.temporal.taskQueue, intervalMs: config.metrics.heartbeatMs, namespaces: () => manager.running(),
});
logger.info({
  taskQueue: config.temporal.taskQueue, namespaces: manager.running(), workerId,
  limits: { ...capacity.limits, cachedWorkflowsPerWorker: capacity.sizing.maxCachedWorkflowsPerWorker, dbPoolMax: config.worker.dbPoolMax, leaseTtlMs: config.worker.leaseTtlMs },
}, 'worker process ready');

/** Seconds sql.end() lets queries in flight finish before it closes the connections anyway. */
const SQL_END_TIMEOUT_S = 3;

// Each step has its own deadline, so the process stops within their sum (the Workers' force time
// plus 17 s) whatever hangs, e.g. a database or Temporal server that is restarting; a timer past
// that sum is the last resort.
const steps: ShutdownStep[] = [
  { name: 'demand loop', timeoutMs: 3_000, run: () => demand.stop() },
  { name: 'webhook relay', timeoutMs: 3_000, run: async () => webhookRelay?.stop() },
  // The Workers give up on their activities at the force time; a little more for run() to settle.
  { name: 'workers', timeoutMs: config.worker.shutdownForceMs + 3_000, run: () => manager.shutdown() },
  // Other processes take this one's namespaces at their next round rather than after the lease TTL.
  { name: 'namespace leases', timeoutMs: 3_000, run: () => coordinator.releaseAll() },
  { name: 'heartbeat', timeoutMs: 3_000, run: () => heartbeat.stop() },
  {
    name: 'clients', timeoutMs: SQL_END_TIMEOUT_S * 1_000 + 2_000,
    run: async () => {
      // All of them, whichever fails (the Temporal connection refuses to close under a Worker given up on).
      const closed = await Promise.allSettled([metricsServer?.close(), connection.close(), client.close(), sql.end({ timeout: SQL_END_TIMEOUT_S }), budgetSql?.end({ timeout: SQL_END_TIMEOUT_S }), s3.client.destroy()]);
      const failures = closed.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      if (failures.length > 0) throw new AggregateError(failures, 'some clients did not close');
    },
  },
];

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  // A repeated signal (a wrapper such as tsx relays the terminal's own) changes nothing: the stop is bounded anyway.
  if (stopping) return;
  stopping = true;
  const budgetMs = shutdownBudgetMs(steps);
  logger.info({ signal, graceMs: config.worker.shutdownGraceMs, budgetMs }, 'shutting down: in-flight activities get the grace period');
  const lastResort = setTimeout(() => {
    logger.error({ budgetMs }, 'shutdown did not finish within its budget: exiting');
    process.exit(1);
  }, budgetMs + 2_000);
  lastResort.unref();
  const clean = await runShutdown(steps, logger);
  logger.info({ clean }, 'worker process stopped');
  process.exit(clean ? 0 : 1);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));
