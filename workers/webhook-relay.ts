import { NamespaceNotFoundError, WorkflowExecutionAlreadyStartedError, type Connection } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { Sql } from '../shared/db/client.ts';
import { withAdminScope, withTenant } from '../shared/db/scope.ts';
import { notifyWorkerDemand } from '../shared/jobs/worker-demand.ts';
import type { Logger } from '../shared/logger.ts';
import { namespaceClients } from '../shared/temporal-clients.ts';
import { WEBHOOK_OUTBOX_CHANNEL } from '../shared/webhooks/outbox.ts';
import {
  WEBHOOK_DELIVERY_WORKFLOW, webhookDeliveryWorkflowId, type WebhookDeliveryInput, type WebhookRetrySettings,
} from '../workflows/webhook-delivery/definitions.ts';

/** Starts one delivery's workflow in its tenant's namespace; a workflow already there is not an error. */
export type StartDelivery = (namespace: string, input: WebhookDeliveryInput) => Promise<'started' | 'already-started'>;

/** The production starter: one client per namespace over one connection; `REJECT_DUPLICATE` keeps a delivery to one run. */
export function createDeliveryStarter(options: { connection: Connection; taskQueue: string }): StartDelivery {
  const clientFor = namespaceClients(options.connection);
  return async (namespace, input) => {
    const client = clientFor(namespace);
    try {
      await client.workflow.start(WEBHOOK_DELIVERY_WORKFLOW, {
        workflowId: webhookDeliveryWorkflowId(input.deliveryId), taskQueue: options.taskQueue, args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
      return 'started';
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return 'already-started';
      throw err;
    }
  };
}

export interface WebhookRelayOptions {
  sql: Sql;
  start: StartDelivery;
  retry: WebhookRetrySettings;
  logger: Logger;
  /** Deliveries started per round at most (the rest go next round). */
  batch?: number;
  /**
   * Only these tenants' deliveries (tests that share one database with other files' worker
   * processes, each on its own task queue); every tenant's by default.
   */
  tenantIds?: readonly string[];
}

/**
 * The outbox relay: starts the workflow of every delivery not started yet, then marks it started.
 * Safe to run twice at once or again after a crash between the start and the mark: the workflow id
 * is the delivery's, so Temporal starts it once and a second start answers "already started".
 */
export function createWebhookRelay(options: WebhookRelayOptions) {
  const { sql, logger } = options;
  return async function relayOnce(): Promise<number> {
    const rows = await withAdminScope(sql, { actor: 'worker', reason: 'webhook outbox relay', audit: false }, (tx) => tx<{ id: string; tenant_id: string; namespace: string }[]>`
      select d.id, d.tenant_id, t.namespace from freight.webhook_deliveries d join freight.tenants t on t.id = d.tenant_id
      where d.workflow_started_at is null and d.status = 'pending'
        and ${options.tenantIds ? tx`d.tenant_id = any(${options.tenantIds as string[]}::uuid[])` : tx`true`}
      order by d.created_at limit ${options.batch ?? 200}`);
    const namespaces = new Set<string>();
    for (const row of rows) {
      try {
        await options.start(row.namespace, { tenantId: row.tenant_id, deliveryId: row.id, retry: options.retry });
      } catch (err) {
        // A namespace Temporal does not know (yet) or an outage: the row stays unstarted for the next round.
        if (!(err instanceof NamespaceNotFoundError)) logger.warn({ err, deliveryId: row.id }, 'could not start a webhook delivery; will retry');
        continue;
      }
      await withTenant(sql, row.tenant_id, (tx) => tx`
        update freight.webhook_deliveries set workflow_started_at = now() where id = ${row.id} and workflow_started_at is null`);
      namespaces.add(row.namespace);
    }
    // The namespace gets a Worker now rather than at the next demand round.
    for (const namespace of namespaces) await notifyWorkerDemand(sql, namespace);
    return rows.length;
  };
}

/**
 * Runs the relay on every outbox NOTIFY (sent when an event's transaction commits) and every
 * `intervalMs` as a backstop. Rounds never overlap; a notification during one asks for another.
 */
export async function startWebhookRelay(options: WebhookRelayOptions & { intervalMs: number }): Promise<{ stop(): Promise<void> }> {
  const relayOnce = createWebhookRelay(options);
  let stopped = false;
  let current: Promise<void> | undefined;
  let again = false;
  const tick = (): void => {
    if (stopped) return;
    if (current) {
      again = true;
      return;
    }
    current = (async () => {
      do {
        again = false;
        await relayOnce().catch((err: unknown) => options.logger.warn({ err }, 'webhook relay round failed; will retry'));
      } while (again && !stopped);
    })().finally(() => { current = undefined; });
  };
  const listener = await options.sql.listen(WEBHOOK_OUTBOX_CHANNEL, () => tick());
  tick();
  const timer = setInterval(tick, options.intervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await listener.unlisten();
      await current;
    },
  };
}
