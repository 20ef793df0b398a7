import type { Connection } from '@temporalio/client';
import { namespaceClients } from '../temporal-clients.ts';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { RECONCILE_JOB_WORKFLOW, type ReconcileJobInput } from '../../workflows/reconcile-job/definitions.ts';

/** Starts reconcileJob workflows in a tenant's namespace; tests substitute one that fails. */
export interface ReconcileWorkflows {
  start(namespace: string, workflowId: string, input: ReconcileJobInput): Promise<void>;
}

export function createReconcileWorkflows(options: { connection: Connection; taskQueue: string }): ReconcileWorkflows {
  const clientFor = namespaceClients(options.connection);
  return {
    async start(namespace, workflowId, input) {
      await clientFor(namespace).workflow.start(RECONCILE_JOB_WORKFLOW, {
        workflowId, taskQueue: options.taskQueue, args: [input],
        // One execution per run row: its id is never reused.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    },
  };
}
