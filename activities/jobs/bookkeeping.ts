import type { JobRef, FinishJobInput, FinishJobResult, ListRetryTargetsInput, MarkBatchFailedInput, SetJobStatusInput } from './contract.ts';
import { Context } from '@temporalio/activity';
import { activityLog, throughDatabaseOutages } from './database-outage.ts';
import { attemptDeadline, configFailure, toActivityFailure } from './failures.ts';
import { withHeartbeatTimer } from './heartbeat-timer.ts';
import type { JobConnectorFactory } from './job-connectors.ts';
import type { JobStore } from './job-store.ts';
import type { SchemaCache } from './schema-cache.ts';

export interface BookkeepingDeps {
  store: JobStore;
  connectors: JobConnectorFactory;
  schemas: SchemaCache;
  /** Heartbeat timer period of prepareTarget (tests shorten it). */
  heartbeatEveryMs?: number;
}

/**
 * Bookkeeping failures carry a type: a database error no retry can fix (constraint, privilege,
 * missing table) fails at once instead of being retried forever; anything else is transient.
 */
async function classified<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toActivityFailure(err);
  }
}

/** The job's own state changes in PostgreSQL, and the one-time target preparation. */
export function createBookkeeping(deps: BookkeepingDeps) {
  const { store } = deps;
  return {
    async beginJob(ref: JobRef): Promise<void> {
      // The first run's Temporal run id, for the job's list of runs (resumes add theirs).
      await classified(() => store.begin(ref, Context.current().info.workflowExecution?.runId ?? null));
    },
    /** Reads the source's fields and creates what the target lacks (attributes, options, lists). */
    async prepareTarget(input: JobRef & { objects: string[]; dryRun: boolean }): Promise<{ created: number; warnings: string[] }> {
      const ctx = Context.current();
      // Creating a large target schema paces itself on the write budget: it may outlast the heartbeat timeout.
      return withHeartbeatTimer(ctx, deps.heartbeatEveryMs, () => classified(() => throughDatabaseOutages(async () => {
        const job = await store.getJob(input);
        if (!job) throw configFailure(`job ${input.jobId} not found`);
        const connectors = await deps.connectors.forJob(job);
        const schema = await deps.schemas.get(job.id, connectors, input.dryRun, ctx.cancellationSignal);
        return { created: schema.created.length, warnings: schema.warnings };
      }, { probe: () => store.ping(), signal: ctx.cancellationSignal, deadline: () => attemptDeadline(ctx.info), log: activityLog(ctx) })));
    },
    async setJobStatus(input: SetJobStatusInput): Promise<void> {
      await classified(() => store.setStatus(input, input.status, input.reason));
    },
    async markBatchFailed(input: MarkBatchFailedInput): Promise<void> {
      await classified(() => store.markBatchFailed(input, input.batchId, input.errorKind, input.errorMessage));
    },
    async listRetryTargets(input: ListRetryTargetsInput): Promise<string[]> {
      return classified(() => store.listRetryTargets(input, input.scope));
    },
    async finishJob(input: FinishJobInput): Promise<FinishJobResult> {
      return classified(() => store.finish(input, input.outcome, input.reason));
    },
  };
}
