import type { ReconcileWorkflows } from '../shared/reconcile/reconcile-workflows.ts';
import type { Connection } from '@temporalio/client';
import type { Config } from '../shared/config.ts';
import type { SecretBox } from '../shared/crypto/secret-box.ts';
import type { Sql } from '../shared/db/client.ts';
import type { Logger } from '../shared/logger.ts';
import type { S3Context } from '../shared/s3.ts';
import type { JobWorkflows } from '../shared/jobs/job-workflows.ts';
import type { EnsureNamespaceOptions } from '../shared/temporal.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { JobEventListener } from '../shared/job-events/job-event-listener.ts';
import type { OutboundPolicy } from '../shared/outbound/outbound-policy.ts';
import type { JobCallPlanner } from '../shared/jobs/call-plan.ts';
import type { ConnectionChecker } from '../shared/connections/connection-check.ts';
import type { ApiMetrics } from './metrics/api-metrics.ts';
import type { AddressLookup } from '../shared/webhooks/webhook-url.ts';
import type { DeltaScheduleClient } from '../shared/schedules/schedule-workflows.ts';

/** Everything the API needs from the outside world; tests pass their own. */
export interface AppDeps {
  config: Config;
  /** Pool connected as the application role (RLS applies; owns no table). */
  sql: Sql;
  temporal: Connection;
  s3: S3Context;
  logger: Logger;
  /** Clock for rate limiting and caches; defaults to Date.now. */
  now?: () => number;
  /** Replaces namespace registration in tests that simulate Temporal failures. */
  ensureNamespace?: (options: EnsureNamespaceOptions) => Promise<void>;
  /**
   * Seals connection credentials (built by `main` from FREIGHT_ENCRYPTION_KEYS). Without one the API
   * still serves, but creating a connection answers 503 `encryption_not_configured`.
   */
  secretBox?: SecretBox | undefined;
  /** Replaces the Temporal side of jobs (start, signal, update, query) in tests that simulate outages. */
  jobWorkflows?: JobWorkflows;
  /** Replaces the start of reconcileJob workflows (tests). */
  reconcileWorkflows?: ReconcileWorkflows;
  /** Replaces the Temporal Schedules of delta schedules (tests that simulate outages). */
  scheduleClient?: DeltaScheduleClient;
  /**
   * The process's one LISTEN connection for job events, fanned out to SSE streams (`main` builds it
   * with createJobEventListener and closes it on shutdown). Without one, event streams poll.
   */
  jobEvents?: JobEventListener;
  /** The Prometheus registry and request instruments; built from `sql` when absent. */
  metrics?: ApiMetrics;
  /**
   * Where connections may point; built from `config.outbound` when absent (tests replace the
   * official table to stand a local server in for a vendor's API).
   */
  outbound?: OutboundPolicy;
  /** Replaces the source call plan made before a job is created (default: the Affinity planner). */
  planCalls?: JobCallPlanner;
  /**
   * Replaces the connection check (POST /v1/connections/{id}/test and job creation); default: the pairs'
   * checks. null keeps the route's check but creates jobs unchecked (tests of the worker's own defences).
   */
  checkConnection?: ConnectionChecker | null;
  /** Resolves webhook hosts at creation (tests point a name at an internal address); the system resolver by default. */
  webhookLookup?: AddressLookup;
}

/** Per-request values set by the middleware chain. */
export interface AppVariables {
  requestId: string;
  /** Request-scoped child logger carrying the request id. */
  log: Logger;
  /** Set by `authenticate` on every /v1 route. */
  principal: Principal | undefined;
  /** The caller's tenant's own rate limit, when it has one. */
  tenantRateLimit: number | null | undefined;
}

export interface AppEnv {
  Variables: AppVariables;
}
