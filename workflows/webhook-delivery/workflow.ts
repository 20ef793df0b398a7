import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { WebhookActivities } from '../../activities/webhooks/send-webhook.ts';
import type { DeliveryOutcome, WebhookDeliveryInput } from './definitions.ts';

/**
 * Delivers one event to one endpoint: a single activity call that Temporal retries with
 * exponential backoff until the receiver answers 2xx or `giveUpAfterMs` has passed since the first
 * attempt; then the delivery is logged as failed. Each attempt records itself in the delivery log.
 */
export async function webhookDelivery(input: WebhookDeliveryInput): Promise<DeliveryOutcome> {
  const { retry } = input;
  const { sendWebhook } = proxyActivities<WebhookActivities>({
    // The activity bounds its own POST; the margin covers reading the delivery and writing the log.
    startToCloseTimeout: retry.requestTimeoutMs + 30_000,
    scheduleToCloseTimeout: retry.giveUpAfterMs,
    retry: {
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: retry.maximumIntervalMs,
    },
  });
  const { settleWebhookDelivery } = proxyActivities<WebhookActivities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '1 minute' } });
  try {
    return await sendWebhook(input);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const hours = Math.round((retry.giveUpAfterMs / 3_600_000) * 100) / 100;
    await settleWebhookDelivery({ tenantId: input.tenantId, deliveryId: input.deliveryId, reason: `given up: not accepted within ${hours} h (${err.cause?.message ?? err.message})` });
    return 'gave-up';
  }
}
