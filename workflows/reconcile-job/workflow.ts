import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import { NON_RETRYABLE_ERROR_KINDS } from '../../shared/error-kinds.ts';
import { describeFailure } from '../migration-job/failures.ts';
import type { ReconcileJobInput, ReconcileJobResult } from './definitions.ts';

/**
 * One reconciliation of a finished job: a run row (its number), the comparison (an activity that
 * reads both systems, heartbeating, and stores the report in S3), and the run's outcome. Only ids,
 * counts and keys cross into history; a comparison that keeps failing ends the run as failed with
 * its reason (the job itself is not touched).
 */
export async function reconcileJob(input: ReconcileJobInput): Promise<ReconcileJobResult> {
  const book = proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '200 ms', maximumInterval: '10 seconds', backoffCoefficient: 2 },
  });
  const compare = proxyActivities<Activities>({
    // Both systems read through their paced APIs: minutes for a large account at the real limits.
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '30 seconds',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_KINDS] },
  });
  const ref = { tenantId: input.tenantId, jobId: input.jobId };
  const { seq } = await book.openReconciliation({ ...ref, trigger: input.trigger, workflowId: workflowInfo().workflowId });
  try {
    const result = await compare.compareJob({ ...ref, seq });
    return { seq, ...result };
  } catch (err) {
    const failure = describeFailure(err);
    await book.failReconciliation({ ...ref, seq, error: `${failure.kind}: ${failure.message}` });
    return { seq, status: 'failed', differences: null };
  }
}
