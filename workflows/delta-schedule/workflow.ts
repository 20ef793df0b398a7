import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import type { DeltaScheduleTickInput, DeltaScheduleTickResult } from './definitions.ts';

/**
 * One tick of a delta schedule: an activity creates the next delta job through the job service (the
 * API's own code path, Idempotency-Key from this workflow's id, so a retried attempt creates it once)
 * and returns at once; the delta runs as its own job workflow. The schedule's overlap policy (SKIP)
 * covers the tick itself; the activity skips while the schedule's previous delta still runs.
 */
export async function deltaScheduleTick(input: DeltaScheduleTickInput): Promise<DeltaScheduleTickResult> {
  const { runScheduledDelta } = proxyActivities<Activities>({
    // Creating a job checks both connections and plans its source calls: seconds, a minute at most.
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
  });
  return runScheduledDelta({ ...input, tickId: workflowInfo().workflowId });
}
