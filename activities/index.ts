import type { Dispatcher } from 'undici';
import type { SecretBox } from '../shared/crypto/secret-box.ts';
import type { Sql } from '../shared/db/client.ts';
import type { Logger } from '../shared/logger.ts';
import type { OutboundPolicy } from '../shared/outbound/outbound-policy.ts';
import type { S3Context } from '../shared/s3.ts';
import type { BudgetRegistry } from './connectors/budget/budget-registry.ts';
import { createBookkeeping } from './jobs/bookkeeping.ts';
import { instrumentBatch, objectOfBatch } from './jobs/batch-metrics.ts';
import { createExtractBatch } from './jobs/extract-batch.ts';
import { createSourceReads } from './jobs/delta/source-reads.ts';
import { createJobConnectorFactory, type ConnectionCredentials } from './jobs/job-connectors.ts';
import { createJobStore } from './jobs/job-store.ts';
import { createDeltaStore } from './jobs/delta/delta-store.ts';
import { createLoadBatch } from './jobs/load-batch.ts';
import { createSchemaCache } from './jobs/schema-cache.ts';
import type { ConnectorLimits } from './pairs/limits.ts';
import type { PairModule } from './pairs/pair.ts';
import { noopActivityMetrics, type ActivityMetrics } from './metrics.ts';
import { createWriteImages } from './jobs/write-images.ts';
import { createWriteJobReport } from './jobs/write-report.ts';
import { createReconcileActivities } from './reconcile/reconcile-activities.ts';
import { createWebhookActivities } from './webhooks/send-webhook.ts';
import { createScheduleActivities } from './schedules/scheduled-delta.ts';
import type { JobService } from '../shared/jobs/jobs.ts';

export interface ActivityDeps {
  sql: Sql;
  s3: S3Context;
  logger: Logger;
  /** Decrypted credentials of a tenant's connection. */
  credentials: (tenantId: string, connectionId: string) => Promise<ConnectionCredentials>;
  /** Rate budgets per API scope (an Attio workspace, an Affinity key) (shared across processes when the registry has a store). */
  budgets: BudgetRegistry;
  /** Tenant connections' outbound policy and the dispatcher that enforces it on every connection. */
  outbound: { policy: OutboundPolicy; dispatcher: Dispatcher };
  writeConcurrency?: number;
  flushEvery?: number;
  /** Rate limits per connector type and the request timeout (config.connectors). */
  limits?: ConnectorLimits;
  /** The pairs the worker runs (default: the registry's); tests add an in-memory pair. */
  pairs?: readonly PairModule[];
  /** Batch attempts, latency, records written and retried (the worker's /metrics); no-op by default. */
  metrics?: ActivityMetrics;
  /** Opens webhook signing secrets; without one, webhook deliveries wait (retried) until it is configured. */
  secretBox?: SecretBox | undefined;
  /** Creates the deltas of delta schedules exactly as the API creates jobs; without it, their ticks fail (retried). */
  jobs?: Pick<JobService, 'create'> | undefined;
}

/** Every activity the worker registers, bound to its dependencies (tests pass their own). */
export function createActivities(deps: ActivityDeps) {
  const store = createJobStore(deps.sql);
  const connectors = createJobConnectorFactory({
    sql: deps.sql, logger: deps.logger, credentials: deps.credentials, budgets: deps.budgets, outbound: deps.outbound, s3: deps.s3,
    ...(deps.limits ? { limits: deps.limits } : {}),
    ...(deps.pairs ? { pairs: deps.pairs } : {}),
  });
  const schemas = createSchemaCache();
  const metrics = deps.metrics ?? noopActivityMetrics;
  return {
    ...createBookkeeping({ store, connectors, schemas }),
    extractBatch: instrumentBatch(metrics, 'extract', (input) => input.object, createExtractBatch({ store, s3: deps.s3, connectors, sourceReads: createSourceReads(deps.sql) })),
    loadBatch: instrumentBatch(metrics, 'load', (input) => objectOfBatch(input.batchId), createLoadBatch({
      store, s3: deps.s3, connectors, schemas, writeConcurrency: deps.writeConcurrency ?? 16, flushEvery: deps.flushEvery ?? 250, metrics,
      images: createWriteImages({ sql: deps.sql, s3: deps.s3 }),
      delta: createDeltaStore(deps.sql),
    })),
    writeJobReport: createWriteJobReport({ sql: deps.sql, s3: deps.s3 }),
    ...createReconcileActivities({ sql: deps.sql, s3: deps.s3, store, connectors }),
    ...createWebhookActivities({ sql: deps.sql, secretBox: deps.secretBox, outbound: deps.outbound, logger: deps.logger }),
    ...createScheduleActivities({ sql: deps.sql, jobs: deps.jobs, logger: deps.logger }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
