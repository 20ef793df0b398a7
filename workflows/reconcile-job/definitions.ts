/**
 * The public surface of the reconcileJob workflow: a finished job's source and target compared
 * through the vendors' documented APIs, one execution per reconciliation, in the tenant's namespace.
 */
export const RECONCILE_JOB_WORKFLOW = 'reconcileJob';

export const RECONCILIATION_STATUSES = ['pending', 'running', 'completed', 'failed', 'not_supported'] as const;
export type ReconciliationStatus = (typeof RECONCILIATION_STATUSES)[number];
/** auto: started by the job's workflow when it finished; manual: POST /v1/jobs/{id}/reconcile. */
export type ReconciliationTrigger = 'auto' | 'manual';

/** Business-key workflow id: under the job's own (`job-<id>`), one suffix per reconciliation. */
export function reconcileWorkflowId(jobId: string, suffix: string): string {
  return `reconcile-${jobId}-${suffix}`;
}

export interface ReconcileJobInput {
  tenantId: string;
  jobId: string;
  trigger: ReconciliationTrigger;
}

export interface ReconcileJobResult {
  seq: number;
  status: ReconciliationStatus;
  /** Differences found (null unless completed). */
  differences: number | null;
}
