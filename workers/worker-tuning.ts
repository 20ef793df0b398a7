import type { WorkerOptions } from '@temporalio/worker';

/**
 * Worker settings that behaviour depends on, shared by production Workers and test harnesses.
 * Heartbeats carry cancellation back to a running activity: throttling them to 1 s (instead of up to
 * 80% of the heartbeat timeout) makes a cancel stop in-flight writes within about a second.
 */
export const WORKER_TUNING = {
  maxHeartbeatThrottleInterval: '1 second',
  defaultHeartbeatThrottleInterval: '1 second',
} satisfies Partial<WorkerOptions>;
