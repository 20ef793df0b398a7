import { NativeConnection, Runtime } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';
import { createBudgetRegistry } from '../activities/connectors/budget/budget-registry.ts';
import { createOutboundDispatcher } from '../activities/connectors/http/outbound-dispatcher.ts';
import { createConnectionService } from '../shared/connections/connections.ts';
import { createSecretBox } from '../shared/crypto/secret-box.ts';
import { loadConfig } from '../shared/config.ts';
import { createSql } from '../shared/db/client.ts';
import { survivePostgresRestarts } from '../shared/db/connection-loss.ts';
import { createLogger } from '../shared/logger.ts';
import { createOutboundPolicy } from '../shared/outbound/outbound-policy.ts';
import { createS3 } from '../shared/s3.ts';
import { temporalConnectionOptions } from '../shared/temporal.ts';
import { buildWorkflowBundle } from './bundle.ts';
import { startDemandLoop } from './demand.ts';
import { startHeartbeat } from './heartbeat.ts';
import { startMetricsServer } from './metrics-server.ts';
import { createNamespaceManager } from './namespace-manager.ts';
import { createTemporalLogger } from './temporal-logger.ts';
import { createWorkerMetrics } from './worker-metrics.ts';

// Entrypoint only: config → clients → workers. Everything else is passed in.
const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, name: 'freight-worker' });
survivePostgresRestarts(logger);
// The Runtime must be installed before any connection or Worker exists; with a port set, the SDK
// serves its own metrics (temporal_*: task latencies, schedule-to-start, slots) on <host>:<port>/metrics.
const { host: metricsHost, temporalPort, workerPort } = config.metrics;
Runtime.install({
  logger: createTemporalLogger(logger),
  ...(temporalPort > 0 ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `${metricsHost}:${temporalPort}`, useSecondsForDurations: true } } } } : {}),
});
const metrics = createWorkerMetrics();
const metricsServer = workerPort > 0 ? await startMetricsServer({
  registry: metrics.registry, host: metricsHost, port: workerPort, logger, token: config.metrics.token, production: config.env === 'production',
}) : undefined;

const connection = await NativeConnection.connect(await temporalConnectionOptions(config.temporal));
const sql = createSql({ url: config.db.url, max: config.db.poolMax, logger, applicationName: 'freight-worker' });
const s3 = createS3(config.s3);
const bundle = await buildWorkflowBundle(logger);
const outboundPolicy = createOutboundPolicy({ allowHosts: config.outbound.allowHosts });
if (config.outbound.allowHosts.length > 0) logger.info({ allowHosts: config.outbound.allowHosts }, 'outbound allow-list: these hosts are admitted besides the official APIs');
const manager = createNamespaceManager({
  connection,
  bundle,
  activities: createActivities({
    sql, s3, logger,
    credentials: createConnectionService({ sql, secretBox: createSecretBox(config.encryptionKeys) }).getCredentials,
    budgets: createBudgetRegistry(metrics.budgets),
    outbound: { policy: outboundPolicy, dispatcher: createOutboundDispatcher({ policy: outboundPolicy, logger }) },
    metrics: metrics.activities,
    writeConcurrency: config.connectors.writeConcurrency,
    limits: config.connectors,
  }),
  taskQueue: config.temporal.taskQueue,
  logger,
  maxCachedWorkflows: config.worker.maxCachedWorkflows,
  maxConcurrentActivities: config.worker.maxConcurrentActivities,
  shutdownGraceMs: config.worker.shutdownGraceMs,
  idleStopMs: config.worker.idleStopMs,
});
const demand = await startDemandLoop({ sql, manager, logger, intervalMs: 5_000, retryWindowHours: config.jobs.retryWindowHours });
const heartbeat = await startHeartbeat({
  sql, logger, taskQueue: config.temporal.taskQueue, intervalMs: config.metrics.heartbeatMs, namespaces: () => manager.running(),
});
logger.info({ taskQueue: config.temporal.taskQueue, namespaces: manager.running(), workerId: heartbeat.workerId }, 'worker process ready');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: in-flight activities get the grace period');
  await demand.stop();
  await manager.shutdown();
  await heartbeat.stop();
  await metricsServer?.close();
  await connection.close();
  await sql.end({ timeout: 5 });
  s3.client.destroy();
  logger.info('worker process stopped');
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));
