import type { WorkerOptions } from '@temporalio/worker';

/**
 * Worker settings that behaviour depends on, shared by production Workers and test harnesses.
 * Cancellation reaches a running activity only in the answer to a heartbeat, so the throttle bounds
 * how long a cancelled batch keeps writing. The SDK's own default (80% of the 15 s heartbeat
 * timeout) would let it run 12 s and leave a live attempt one late beat from a timeout; 5 s keeps
 * cancels prompt and three beats in every timeout window, at a fifth of the heartbeats (billed
 * actions on Temporal Cloud) the former 1 s throttle sent. Activities without a heartbeat timeout
 * keep the SDK's default.
 */
export const WORKER_TUNING = {
  maxHeartbeatThrottleInterval: '5 seconds',
} satisfies Partial<WorkerOptions>;
