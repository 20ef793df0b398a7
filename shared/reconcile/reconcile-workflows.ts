import { Client, type Connection } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { RECONCILE_JOB_WORKFLOW, type ReconcileJobInput } from '../../workflows/reconcile-job/definitions.ts';

/** Starts reconcileJob workflows in a tenant's namespace; tests substitute one that fails. */
export interface ReconcileWorkflows {
  start(namespace: string, workflowId: string, input: ReconcileJobInput): Promise<void>;
}

export function createReconcileWorkflows(options: { connection: Connection; taskQueue: string }): ReconcileWorkflows {
  const clients = new Map<string, Client>();
  const clientFor = (namespace: string): Client => {
    let client = clients.get(namespace);
    if (!client) {
      client = new Client({ connection: options.connection, namespace });
      clients.set(namespace, client);
    }
    return client;
  };
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
