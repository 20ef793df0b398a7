import type { ActivityMetrics } from '../metrics.ts';
import type { WriteAttempt } from './write-record.ts';

/** `organizations-12` → `organizations`: batch ids are `<object>-<seq>`. */
export function objectOfBatch(batchId: string): string {
  return batchId.replace(/-\d+$/, '');
}

/**
 * Wraps a batch activity so every attempt is counted and timed (attempt = one activity execution;
 * Temporal's retries are further attempts), labelled by the tenant's id (never its slug or name:
 * metrics are an operator's view and must not list customers) and the object.
 */
export function instrumentBatch<I extends { tenantId: string }, O>(
  metrics: ActivityMetrics, activity: 'extract' | 'load', objectOf: (input: I) => string, fn: (input: I) => Promise<O>,
): (input: I) => Promise<O> {
  return async (input: I): Promise<O> => {
    const labels = { tenant: input.tenantId, object: objectOf(input), activity };
    metrics.batchAttempt(labels);
    const started = performance.now();
    let outcome: 'ok' | 'error' = 'error';
    try {
      const result = await fn(input);
      outcome = 'ok';
      return result;
    } finally {
      metrics.batchFinished({ ...labels, outcome }, (performance.now() - started) / 1000);
    }
  };
}

/** Counts one flushed chunk: outcomes by status, and the records handed back for a retry. */
export function reportChunk(metrics: ActivityMetrics | undefined, tenant: string, batchId: string, attempts: readonly WriteAttempt[]): void {
  if (!metrics) return;
  const object = objectOfBatch(batchId);
  const byStatus = new Map<string, number>();
  let retries = 0;
  for (const a of attempts) {
    if (!a.done) retries += 1;
    else byStatus.set(a.outcome.status, (byStatus.get(a.outcome.status) ?? 0) + 1);
  }
  for (const [status, n] of byStatus) metrics.recordsWritten({ tenant, object, status }, n);
  if (retries > 0) metrics.recordRetries({ tenant, object }, retries);
}
