import { serve } from '@hono/node-server';
import type { Duplex } from 'node:stream';
import { loadConfig } from '../shared/config.ts';
import { createSecretBox } from '../shared/crypto/secret-box.ts';
import { createSql } from '../shared/db/client.ts';
import { survivePostgresRestarts } from '../shared/db/connection-loss.ts';
import { createJobEventListener } from '../shared/job-events/job-event-listener.ts';
import { migrate, roleOfUrl } from '../shared/db/migrate.ts';
import { createLogger } from '../shared/logger.ts';
import { createS3, ensureBucket } from '../shared/s3.ts';
import { connectTemporal } from '../shared/temporal.ts';
import { reconcileTenants } from '../shared/tenancy/provision.ts';
import { createApp } from './app.ts';
import { answerClientError, MAX_HEADER_BYTES } from './client-errors.ts';

/** API entrypoint: config → clients → migrations → bucket → tenant reconciliation → HTTP. */
async function main(): Promise<void> {
  const bootLogger = createLogger({ level: 'info', name: 'freight-api' });
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    bootLogger.fatal({ err }, 'invalid configuration');
    process.exit(1);
  }
  const logger = createLogger({ level: config.logLevel, name: 'freight-api' });
  survivePostgresRestarts(logger);

  // Migrations run as the schema owner; the service itself connects as the app role.
  const ownerSql = createSql({ url: config.db.migrationUrl, max: 1, logger, applicationName: 'freight-migrate' });
  try {
    await migrate({ sql: ownerSql, appRole: roleOfUrl(config.db.url), logger });
  } finally {
    await ownerSql.end({ timeout: 5 });
  }
  const sql = createSql({ url: config.db.url, max: config.db.poolMax, logger, applicationName: 'freight-api', timeouts: config.db.timeouts });
  const temporal = await connectTemporal(config.temporal);
  const s3 = createS3(config.s3);
  await ensureBucket(s3);
  // Tenants left half-provisioned by a crash are finished now; failures are logged, not fatal.
  const reconciled = await reconcileTenants({ sql, temporal, logger });
  if (reconciled.failed.length > 0) logger.warn({ failed: reconciled.failed }, 'some tenants are still provisioning');

  // Keys that are set but malformed stop the process (createSecretBox throws); no keys at all only
  // disables creating connections, so a deployment can be brought up before keys are provisioned.
  const secretBox = config.encryptionKeys.length > 0 ? createSecretBox(config.encryptionKeys) : undefined;
  if (!secretBox) logger.warn('FREIGHT_ENCRYPTION_KEYS is not set: creating connections answers 503 encryption_not_configured');
  if (config.env === 'production' && !config.metrics.token) logger.warn('FREIGHT_METRICS_TOKEN is not set: GET /metrics answers 401 to every caller (NODE_ENV=production)');

  // One LISTEN connection for every SSE stream of this process.
  const jobEvents = createJobEventListener({ sql, logger });
  const app = createApp({ config, sql, temporal, s3, logger, secretBox, jobEvents });
  const server = serve({
    fetch: app.fetch, hostname: config.http.host, port: config.http.port,
    // Node's 16 KiB default would answer 431 (no body) to a URL within the documented limits: a
    // 2,000-character cursor of non-ASCII text is ~24 KB percent-encoded. Past the limit, our own 400.
    serverOptions: { maxHeaderSize: MAX_HEADER_BYTES },
  }, (info) => {
    logger.info({ host: info.address, port: info.port }, 'freight api listening');
  });

  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => answerClientError(err, socket));

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // In-flight requests finish; a stuck one does not hold the process forever.
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close(() => {
      void Promise.allSettled([jobEvents.close().then(() => sql.end({ timeout: 5 })), temporal.close()]).then(() => {
        s3.client.destroy();
        logger.info('stopped');
        process.exit(0);
      });
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  createLogger({ level: 'info', name: 'freight-api' }).fatal({ err }, 'api failed to start');
  process.exit(1);
});
