import { OpenAPIHono } from '@hono/zod-openapi';
import { createBudgetRegistry } from '../activities/connectors/budget/budget-registry.ts';
import { createOutboundDispatcher } from '../activities/connectors/http/outbound-dispatcher.ts';
import { createPairPlanner, validatePairMapping } from '../activities/pairs/api-hooks.ts';
import { createConnectionChecker } from '../activities/pairs/connection-checker.ts';
import { createAuditLog } from '../shared/audit/audit-log.ts';
import { createAuthenticator } from '../shared/auth/authenticator.ts';
import { createConnectionService } from '../shared/connections/connections.ts';
import { createJobWorkflows } from '../shared/jobs/job-workflows.ts';
import { createJobService } from '../shared/jobs/jobs.ts';
import { createPresignClient } from '../shared/reports/artifacts.ts';
import { createReconcileService } from '../shared/reconcile/reconcile-service.ts';
import { createReconcileWorkflows } from '../shared/reconcile/reconcile-workflows.ts';
import { createReportService } from '../shared/reports/report-service.ts';
import { createStatsService } from '../shared/ops/stats.ts';
import { createOutboundPolicy } from '../shared/outbound/outbound-policy.ts';
import { createApiKeyService } from '../shared/tenancy/api-keys.ts';
import { createTenantService } from '../shared/tenancy/tenants.ts';
import { createWebhookService } from '../shared/webhooks/webhooks.ts';
import { createScheduleService } from '../shared/schedules/schedules.ts';
import { createDeltaScheduleClient } from '../shared/schedules/schedule-workflows.ts';
import { createApiMetrics, requestMetrics } from './metrics/api-metrics.ts';
import { authenticate } from './middleware/authenticate.ts';
import { bodyLimit } from './middleware/body-limit.ts';
import { createErrorHandler, validationHook } from './middleware/error-handler.ts';
import { createNotFoundHandler } from './middleware/not-found.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { requestId } from './middleware/request-id.ts';
import { requestLogger } from './middleware/request-logger.ts';
import { createTenantContextCache } from './middleware/tenant-context.ts';
import { createRateLimiter } from './middleware/token-bucket.ts';
import { createApiKeysRouter } from './routes/api-keys/index.ts';
import { createAuditRouter } from './routes/audit/index.ts';
import { createConnectionsRouter } from './routes/connections/index.ts';
import { registerDocs } from './routes/docs/index.ts';
import { createHealthRouter } from './routes/health/index.ts';
import { createJobsRouter } from './routes/jobs/index.ts';
import { createMeRouter } from './routes/me/index.ts';
import { createMetricsRouter } from './routes/metrics/index.ts';
import { createOpsRouter } from './routes/ops/index.ts';
import { createPlansRouter } from './routes/plans/index.ts';
import { createTenantsRouter } from './routes/tenants/index.ts';
import { createWebhooksRouter } from './routes/webhooks/index.ts';
import { createSchedulesRouter } from './routes/schedules/index.ts';
import type { AppDeps, AppEnv } from './types.ts';
import { createUiRouter } from './ui/index.ts';

export const API_VERSION = '0.1.0';

/**
 * Builds the HTTP API from its dependencies; starts nothing and opens no connection itself.
 * Middleware order: request id → request log → (for /v1) authenticate → rate limit → body limit
 * → per-route role check → validation → handler; every error leaves through `onError`.
 */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const { config, sql, logger } = deps;
  const tenants = createTenantService({
    sql,
    temporal: deps.temporal,
    logger,
    namespacePrefix: config.temporal.namespacePrefix,
    defaultRetentionDays: config.temporal.retentionDays,
    ...(deps.ensureNamespace ? { ensureNamespace: deps.ensureNamespace } : {}),
  });
  const apiKeys = createApiKeyService({ sql });
  const outbound = deps.outbound ?? createOutboundPolicy({ allowHosts: config.outbound.allowHosts });
  const connections = createConnectionService({ sql, secretBox: deps.secretBox, outbound });
  // Plans and connection checks call vendors like a worker: through the outbound policy and its checked dispatcher.
  const vendorCalls = {
    credentials: connections.getCredentials,
    outbound: { policy: outbound, dispatcher: createOutboundDispatcher({ policy: outbound, logger, connections: 8 }) },
    budgets: createBudgetRegistry(),
    logger,
    limits: config.connectors,
    ...(deps.now ? { now: deps.now } : {}),
  };
  const checkConnection = deps.checkConnection ?? createConnectionChecker(vendorCalls);
  const checkAtCreation = deps.checkConnection === null ? undefined : checkConnection;
  const jobs = createJobService({
    sql,
    workflows: deps.jobWorkflows ?? createJobWorkflows({
      connection: deps.temporal, taskQueue: config.temporal.taskQueue,
      jobDefaults: { maxHistoryEvents: config.jobs.maxHistoryEvents, retryWindowMs: config.jobs.retryWindowHours * 3_600_000 },
    }),
    temporalUiUrl: config.temporal.uiUrl,
    logger,
    // A bad mapping override fails when the job is created, not halfway through its run.
    validateMapping: validatePairMapping,
    planCalls: deps.planCalls ?? createPairPlanner(vendorCalls),
    // A connection that fails its check (rejected key, missing scope) refuses the job before its plan spends quota.
    ...(checkAtCreation ? { checkConnection: checkAtCreation } : {}),
  });
  const authenticator = createAuthenticator({ auth: config.auth, sql, logger, now: deps.now });
  const tenantContext = createTenantContextCache({ sql, now: deps.now });
  const limiter = createRateLimiter({ perMinute: config.rateLimit.perMinute, burst: config.rateLimit.burst, now: deps.now });

  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.onError(createErrorHandler(logger));
  // 405 with Allow for a known path asked with another method, 404 otherwise.
  app.notFound(createNotFoundHandler(() => app.routes));
  // Built per app (no global registry); tests that build many apps leave process metrics off.
  const metrics = deps.metrics ?? createApiMetrics({ sql, defaultMetrics: config.env !== 'test' });
  app.use('*', requestMetrics(metrics), requestId(), requestLogger(logger));
  app.use('/v1/*', authenticate({ authenticator, tenantContext }), rateLimit(limiter), bodyLimit(config.http.bodyLimitBytes));

  app.route('/', createHealthRouter({ sql, temporal: deps.temporal, s3: deps.s3 }));
  app.route('/v1/tenants', createTenantsRouter({ tenants }));
  app.route('/v1', createApiKeysRouter({ apiKeys }));
  app.route('/v1/me', createMeRouter({ tenants }));
  app.route('/v1/connections', createConnectionsRouter({ connections, outbound, check: checkConnection }));
  const webhooks = createWebhookService({ sql, secretBox: deps.secretBox, outbound, ...(deps.webhookLookup ? { lookup: deps.webhookLookup } : {}) });
  app.route('/v1/webhooks', createWebhooksRouter({ webhooks, allowHosts: outbound.allowHosts }));
  const reports = createReportService({
    sql, s3: deps.s3, presigner: createPresignClient(config.s3), artifactUrlTtlSeconds: config.s3.presignTtlSeconds ?? 300, logger,
    ...(deps.now ? { now: deps.now } : {}),
  });
  const reconciliations = createReconcileService({
    sql, s3: deps.s3, logger,
    workflows: deps.reconcileWorkflows ?? createReconcileWorkflows({ connection: deps.temporal, taskQueue: config.temporal.taskQueue }),
  });
  app.route('/v1/jobs', createJobsRouter({ jobs, reports, reconciliations, events: { sql, logger, listener: deps.jobEvents } }));
  app.route('/v1/plans', createPlansRouter({ jobs }));
  const schedules = createScheduleService({
    sql, logger, ...(deps.now ? { now: deps.now } : {}),
    temporal: deps.scheduleClient ?? createDeltaScheduleClient({ connection: deps.temporal, taskQueue: config.temporal.taskQueue }),
  });
  app.route('/v1/schedules', createSchedulesRouter({ schedules }));
  app.route('/v1', createAuditRouter({ audit: createAuditLog({ sql }) }));
  app.route('/v1', createOpsRouter({ stats: createStatsService({ sql }) }));
  app.route('/', createMetricsRouter({ metrics, token: config.metrics?.token, production: config.env === 'production' }));
  // The dashboard: public pages whose scripts call /v1 with the user's key; a plain router, so not in the OpenAPI document.
  app.route('/ui', createUiRouter());
  registerDocs(app, { version: API_VERSION, publicUrl: config.http.publicUrl });
  return app;
}
