import { AppError } from '../errors.ts';

/** The job is finished (completed, failed, cancelled): there is nothing left to pause, resume or cancel. */
export class JobTerminalError extends AppError {
  constructor(status: string) {
    super('job_terminal', 409, `Job is already ${status}`, { details: { status } });
    this.name = 'JobTerminalError';
  }
}

/** The job's workflow has closed: signals and retries reach only an open workflow. */
export class JobClosedError extends AppError {
  constructor(status: string) {
    super('job_closed', 409,
      `The job's workflow is closed (job status ${status}). Retries reach a running or paused job, and a job that finished ` +
      'with errors (after its retry window as a new run); a failed job is resumed with POST /v1/jobs/{jobId}/resume.',
      { details: { status } });
    this.name = 'JobClosedError';
  }
}

/** The job's workflow was never started (Temporal was down when the job was created). */
export class JobNotStartedError extends AppError {
  constructor() {
    super('job_not_started', 409,
      "The job's workflow has not started yet; repeat the create request with the same Idempotency-Key to start it, or cancel the job");
    this.name = 'JobNotStartedError';
  }
}

/** The workflow's update validator (or handler) refused the retry, e.g. because the job is being cancelled. */
export class RetryRejectedError extends AppError {
  constructor(reason: string) {
    super('retry_rejected', 409, `Retry rejected by the job: ${reason}`);
    this.name = 'RetryRejectedError';
  }
}

/** Temporal took the request but no worker answered in time (none running for the namespace?). */
export class WorkflowUnresponsiveError extends AppError {
  constructor(timeoutMs: number) {
    super('workflow_unresponsive', 503,
      `The job's workflow did not answer within ${Math.round(timeoutMs / 1000)} s (is a worker running?); the request may still be applied once it does`,
      { headers: { 'Retry-After': '5' } });
    this.name = 'WorkflowUnresponsiveError';
  }
}

/** Internal: Temporal has no open workflow for the job. The service decides which 409 that is. */
export class WorkflowGoneError extends Error {
  constructor(workflowId: string) {
    super(`workflow ${workflowId} is not open`);
    this.name = 'WorkflowGoneError';
  }
}

/** Internal: a new run of the job could not start because one of its executions is still open. */
export class WorkflowStillOpenError extends Error {
  constructor(workflowId: string) {
    super(`workflow ${workflowId} is still open`);
    this.name = 'WorkflowStillOpenError';
  }
}

/** Resume answers only for a job that failed: anything else has nothing to resume (or is resumed already). */
export class JobNotFailedError extends AppError {
  constructor(status: string) {
    super('job_not_failed', 409,
      `Only a failed job can be resumed (this one is ${status}). A paused job is resumed by the same route while its workflow runs; ` +
      'failed records of a finished job are retried with POST /v1/jobs/{jobId}/retry.',
      { details: { status } });
    this.name = 'JobNotFailedError';
  }
}
