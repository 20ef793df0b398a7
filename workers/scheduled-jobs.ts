import type { Connection } from '@temporalio/client';
import type { BudgetRegistry } from '../activities/connectors/budget/budget-registry.ts';
import { createOutboundDispatcher } from '../activities/connectors/http/outbound-dispatcher.ts';
import { createPairPlanner, validatePairMapping } from '../activities/pairs/api-hooks.ts';
import { createConnectionChecker } from '../activities/pairs/connection-checker.ts';
import type { ConnectionCredentials } from '../activities/jobs/job-connectors.ts';
import type { Config } from '../shared/config.ts';
import type { Sql } from '../shared/db/client.ts';
import { createJobWorkflows } from '../shared/jobs/job-workflows.ts';
import { createJobService, type JobService } from '../shared/jobs/jobs.ts';
import type { Logger } from '../shared/logger.ts';
import type { OutboundPolicy } from '../shared/outbound/outbound-policy.ts';

/**
 * The job service as the API builds it (api/app.ts: connection checks, the pair's call plan, mapping
 * validation, the job workflow's start with the same bounds), for the worker's delta schedule ticks:
 * a scheduled delta is created exactly like one posted to /v1/jobs.
 */
export function createScheduledJobService(deps: {
  config: Config; sql: Sql; connection: Connection; logger: Logger; budgets: BudgetRegistry; outbound: OutboundPolicy;
  credentials: (tenantId: string, connectionId: string) => Promise<ConnectionCredentials>;
}): JobService {
  const { config, logger } = deps;
  const vendorCalls = {
    credentials: deps.credentials,
    outbound: { policy: deps.outbound, dispatcher: createOutboundDispatcher({ policy: deps.outbound, logger, connections: 8 }) },
    budgets: deps.budgets,
    logger,
    limits: config.connectors,
  };
  return createJobService({
    sql: deps.sql,
    workflows: createJobWorkflows({
      connection: deps.connection, taskQueue: config.temporal.taskQueue,
      jobDefaults: { maxHistoryEvents: config.jobs.maxHistoryEvents, retryWindowMs: config.jobs.retryWindowHours * 3_600_000 },
    }),
    temporalUiUrl: config.temporal.uiUrl,
    logger,
    validateMapping: validatePairMapping,
    planCalls: createPairPlanner(vendorCalls),
    checkConnection: createConnectionChecker(vendorCalls),
  });
}
