import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { BudgetHooks } from '../activities/connectors/budget/budget-registry.ts';
import type { ActivityMetrics } from '../activities/metrics.ts';

export interface WorkerMetrics {
  registry: Registry;
  /** Passed to `createActivities`. */
  activities: ActivityMetrics;
  /** Passed to `createBudgetRegistry`: waits for a rate-budget slot and 429s. */
  budgets: Required<BudgetHooks>;
}

/** The worker process's own registry (its Temporal SDK metrics are served by the SDK's exporter). */
export function createWorkerMetrics(options: { defaultMetrics?: boolean } = {}): WorkerMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'freight_worker_' });
  const registers = [registry];
  const attempts = new Counter({
    name: 'freight_batch_attempts_total', help: 'Batch activity attempts (extract and load), by tenant id and object',
    labelNames: ['tenant', 'object', 'activity'] as const, registers,
  });
  const latency = new Histogram({
    name: 'freight_batch_duration_seconds', help: 'Duration of one batch activity attempt, by tenant id, object and outcome',
    labelNames: ['tenant', 'object', 'activity', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300], registers,
  });
  const retries = new Counter({
    name: 'freight_record_retries_total', help: 'Records handed back for another attempt (rate limit, 5xx, timeout)',
    labelNames: ['tenant', 'object'] as const, registers,
  });
  const written = new Counter({
    name: 'freight_records_written_total', help: 'Record outcomes recorded by this worker, by status (a retried batch counts again)',
    labelNames: ['tenant', 'object', 'status'] as const, registers,
  });
  const waits = new Counter({
    name: 'freight_rate_limit_waits_total', help: 'Calls that waited for a rate-budget slot, by budget (system:class)',
    labelNames: ['budget'] as const, registers,
  });
  const waitSeconds = new Histogram({
    name: 'freight_rate_limit_wait_seconds', help: 'Time a call waited for its rate-budget slot',
    labelNames: ['budget'] as const, buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 60], registers,
  });
  const throttled = new Counter({
    name: 'freight_rate_limited_total', help: '429 answers the rate budgets were told about, by budget (system:class)',
    labelNames: ['budget'] as const, registers,
  });
  return {
    registry,
    activities: {
      batchAttempt: (labels) => attempts.inc(labels),
      batchFinished: (labels, seconds) => latency.observe(labels, seconds),
      recordRetries: (labels, count) => retries.inc(labels, count),
      recordsWritten: (labels, count) => written.inc(labels, count),
    },
    budgets: {
      onWait: (budget, ms) => {
        waits.inc({ budget });
        waitSeconds.observe({ budget }, ms / 1000);
      },
      onRateLimited: (budget) => throttled.inc({ budget }),
    },
  };
}
