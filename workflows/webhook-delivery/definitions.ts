/**
 * The public surface of the webhook delivery workflow: its id and input. The worker's relay starts
 * it (workers/webhook-relay.ts); nothing signals it.
 */

export const WEBHOOK_DELIVERY_WORKFLOW = 'webhookDelivery';

/** Business-key workflow id: one workflow per delivery (endpoint × event), started once. */
export function webhookDeliveryWorkflowId(deliveryId: string): string {
  return `webhook-delivery-${deliveryId}`;
}

/** How hard a delivery is tried (FREIGHT_WEBHOOK_* settings, README "Configuration"). */
export interface WebhookRetrySettings {
  /** Wait before the 2nd attempt; each next wait is `backoffCoefficient` times longer, up to `maximumIntervalMs`. */
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  /** From the first attempt, when the delivery is given up and logged as failed. */
  giveUpAfterMs: number;
  /** One POST, from connecting to the end of the receiver's answer. */
  requestTimeoutMs: number;
}

export interface WebhookDeliveryInput {
  tenantId: string;
  deliveryId: string;
  retry: WebhookRetrySettings;
}

/**
 * How a delivery ended: delivered (2xx); `settled` (an earlier run already ended it); `gone` (410:
 * endpoint disabled); `refused` (outbound policy); `unavailable` (endpoint deleted or disabled
 * before the attempt); `gave-up` (still failing at the cap).
 */
export type DeliveryOutcome = 'delivered' | 'settled' | 'gone' | 'refused' | 'unavailable' | 'gave-up';

/** `ApplicationFailure.type` of an attempt the receiver did not accept (non-2xx, network error): retried. */
export const WEBHOOK_NOT_ACCEPTED = 'webhook_not_accepted';
