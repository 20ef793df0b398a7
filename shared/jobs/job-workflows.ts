import {
  NamespaceNotFoundError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError, type Connection,
} from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType, WorkflowIdReusePolicy } from '@temporalio/common';
import {
  cancelSignal, JOB_STATUS_KEY, jobWorkflowId, MIGRATION_JOB_WORKFLOW, UNDO_JOB_WORKFLOW, pauseSignal, progressQuery, requestRetryUpdate, resumeSignal,
  type MigrationJobInput, type Progress, type RetryAnswer, type RetryRequest,
} from '../../workflows/migration-job/definitions.ts';
import { RetryRejectedError, WorkflowGoneError, WorkflowStillOpenError, WorkflowUnresponsiveError } from './job-errors.ts';
import { namespaceClients } from '../temporal-clients.ts';

export const SEARCH_ATTRIBUTE_KEYS = {
  TenantId: defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD),
  JobId: defineSearchAttributeKey('JobId', SearchAttributeType.KEYWORD),
  JobStatus: JOB_STATUS_KEY,
};

export type JobSignal = { kind: 'cancel'; reason?: string | undefined } | { kind: 'pause' } | { kind: 'resume' };

/** What the job service needs from Temporal; tests substitute a failing one to simulate an outage. */
export interface JobWorkflows {
  /** Starts the job's workflow; a workflow with that id already there (running or closed) is not an error. */
  start(namespace: string, input: MigrationJobInput): Promise<'started' | 'already-started'>;
  /**
   * Starts a new execution of a closed job's workflow (resume or reopen) with the given carried state;
   * answers its run id. Throws WorkflowStillOpenError when an execution of the job is still open.
   */
  startRun(namespace: string, input: MigrationJobInput): Promise<string>;
  /** Throws WorkflowGoneError when no open workflow has the job's id. */
  signal(namespace: string, jobId: string, signal: JobSignal): Promise<void>;
  /** Throws WorkflowGoneError, RetryRejectedError (409) or WorkflowUnresponsiveError (503). */
  requestRetry(namespace: string, jobId: string, request: RetryRequest): Promise<RetryAnswer>;
  /** The workflow's own view, or undefined when it does not answer quickly (no worker, closed, …). */
  progress(namespace: string, jobId: string): Promise<Progress | undefined>;
}

export interface JobWorkflowsOptions {
  connection: Connection;
  taskQueue: string;
  /** How long a retry request waits for the workflow's answer. */
  updateTimeoutMs?: number;
  /** How long a job read waits for the live progress query. */
  queryTimeoutMs?: number;
  /** How long a resume or reopen waits for the job's previous execution to close (default 15 s). */
  closeWaitMs?: number;
  /**
   * How long a start keeps trying while Temporal still calls an active tenant's namespace unknown:
   * its history service learns of a new namespace on its own cache refresh (10 s by default), after
   * the frontend and visibility already answer for it.
   */
  namespaceSettleMs?: number;
  /** Bounds every new job's workflow gets (continue-as-new threshold, retry window). */
  jobDefaults?: Pick<MigrationJobInput, 'maxHistoryEvents' | 'retryWindowMs'>;
}

/** The job workflows of every tenant namespace, through one connection and a client per namespace. */
export function createJobWorkflows(options: JobWorkflowsOptions): JobWorkflows {
  const clientFor = namespaceClients(options.connection);
  const updateTimeoutMs = options.updateTimeoutMs ?? 15_000;
  const queryTimeoutMs = options.queryTimeoutMs ?? 1_000;
  const handle = (namespace: string, jobId: string) => clientFor(namespace).workflow.getHandle(jobWorkflowId(jobId));

  /**
   * Starts the job's workflow: a first start refuses a workflow id used before (a job runs once, and a start
   * repeated after the workflow closed must not run it again); a new run of the same job reuses it on purpose,
   * so the job's history in Temporal stays one list of runs.
   */
  function startWorkflow(namespace: string, input: MigrationJobInput, run: 'first' | 'next') {
    return clientFor(namespace).workflow.start(input.kind === 'undo' ? UNDO_JOB_WORKFLOW : MIGRATION_JOB_WORKFLOW, {
      workflowId: jobWorkflowId(input.jobId),
      taskQueue: options.taskQueue,
      args: [{ ...options.jobDefaults, ...input }],
      workflowIdReusePolicy: run === 'first' ? WorkflowIdReusePolicy.REJECT_DUPLICATE : WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: [
        { key: SEARCH_ATTRIBUTE_KEYS.TenantId, value: input.tenantId },
        { key: SEARCH_ATTRIBUTE_KEYS.JobId, value: input.jobId },
        { key: SEARCH_ATTRIBUTE_KEYS.JobStatus, value: run === 'first' ? 'pending' : 'running' },
      ],
    });
  }

  async function startOnce(namespace: string, input: MigrationJobInput): Promise<'started' | 'already-started'> {
    try {
      await startWorkflow(namespace, input, 'first');
      return 'started';
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return 'already-started';
      throw err;
    }
  }

  /** Whether the workflow's open execution closes within `waitMs` (polled: its close is what a new run waits for). */
  async function closedWithin(namespace: string, workflowId: string, waitMs: number): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const status = await clientFor(namespace).workflow.getHandle(workflowId).describe().then((d) => d.status.name, () => 'UNKNOWN');
      if (status !== 'RUNNING') return true;
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  return {
    async startRun(namespace, input) {
      const startNewRun = async (): Promise<string> => (await startWorkflow(namespace, input, 'next')).firstExecutionRunId;
      try {
        return await startNewRun();
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      // A failed job's row is settled a moment before its workflow closes (the report is written in
      // between): a resume right after the job turned failed waits for that close, briefly.
      if (!(await closedWithin(namespace, jobWorkflowId(input.jobId), options.closeWaitMs ?? 15_000))) throw new WorkflowStillOpenError(jobWorkflowId(input.jobId));
      try {
        return await startNewRun();
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) throw new WorkflowStillOpenError(jobWorkflowId(input.jobId));
        throw err;
      }
    },

    async start(namespace, input) {
      const settleBy = Date.now() + (options.namespaceSettleMs ?? 20_000);
      for (;;) {
        try {
          return await startOnce(namespace, input);
        } catch (err) {
          if (!(err instanceof NamespaceNotFoundError) || Date.now() > settleBy) throw err;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    },

    async signal(namespace, jobId, signal) {
      const h = handle(namespace, jobId);
      try {
        if (signal.kind === 'cancel') {
          // The signal carries the reason; Temporal's own cancellation request lets the workflow close
          // Canceled once it has settled the job (a signal alone cannot). Closed in between: done.
          await h.signal(cancelSignal, signal.reason ? { reason: signal.reason } : {});
          await h.cancel().catch((err: unknown) => {
            if (!(err instanceof WorkflowNotFoundError)) throw err;
          });
        } else await h.signal(signal.kind === 'pause' ? pauseSignal : resumeSignal);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new WorkflowGoneError(jobWorkflowId(jobId));
        throw err;
      }
    },

    async requestRetry(namespace, jobId, request) {
      const client = clientFor(namespace);
      try {
        return await client.withDeadline(Date.now() + updateTimeoutMs, () =>
          client.workflow.getHandle(jobWorkflowId(jobId)).executeUpdate(requestRetryUpdate, { args: [request] }));
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new WorkflowGoneError(jobWorkflowId(jobId));
        if (err instanceof WorkflowUpdateFailedError) throw new RetryRejectedError(err.cause?.message ?? err.message);
        if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) throw new WorkflowUnresponsiveError(updateTimeoutMs);
        throw err;
      }
    },

    async progress(namespace, jobId) {
      const client = clientFor(namespace);
      try {
        return await client.withDeadline(Date.now() + queryTimeoutMs, () =>
          client.workflow.getHandle(jobWorkflowId(jobId)).query(progressQuery));
      } catch {
        return undefined;
      }
    },
  };
}
