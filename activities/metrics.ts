/**
 * What activities report to the worker's metrics, labelled by tenant id (not slug or name). Passed in through `createActivities` (the worker
 * binds it to a prom-client registry); tests and scripts get the no-op default.
 */
export interface ActivityMetrics {
  /** One attempt of a batch activity began (a retry is another attempt). */
  batchAttempt(labels: { tenant: string; object: string; activity: 'extract' | 'load' }): void;
  /** The attempt ended, successfully or not, after `seconds`. */
  batchFinished(labels: { tenant: string; object: string; activity: 'extract' | 'load'; outcome: 'ok' | 'error' }, seconds: number): void;
  /** Records handed back for another attempt (rate limit, 5xx, timeout). */
  recordRetries(labels: { tenant: string; object: string }, count: number): void;
  /** Records whose outcome was recorded, by status (succeeded, failed, skipped). */
  recordsWritten(labels: { tenant: string; object: string; status: string }, count: number): void;
}

/** Reports nothing: the default outside the worker process. */
export const noopActivityMetrics: ActivityMetrics = {
  batchAttempt: () => undefined,
  batchFinished: () => undefined,
  recordRetries: () => undefined,
  recordsWritten: () => undefined,
};
