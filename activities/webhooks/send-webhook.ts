import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { request, type Dispatcher } from 'undici';
import type { SecretBox } from '../../shared/crypto/secret-box.ts';
import type { Sql } from '../../shared/db/client.ts';
import type { Logger } from '../../shared/logger.ts';
import type { OutboundPolicy } from '../../shared/outbound/outbound-policy.ts';
import { deliveryBody } from '../../shared/webhooks/payload.ts';
import { signatureHeader } from '../../shared/webhooks/signing.ts';
import { checkWebhookUrl } from '../../shared/webhooks/webhook-url.ts';
import { EVENT_ID_HEADER, EVENT_TYPE_HEADER, secretAssociatedData, SIGNATURE_HEADER } from '../../shared/webhooks/webhook-model.ts';
import { WEBHOOK_NOT_ACCEPTED, type DeliveryOutcome, type WebhookDeliveryInput, type WebhookRetrySettings } from '../../workflows/webhook-delivery/definitions.ts';
import { outboundRefusal } from '../connectors/http/outbound-dispatcher.ts';
import { createDeliveryStore } from './delivery-store.ts';

export interface WebhookActivityDeps {
  sql: Sql;
  /** Opens the endpoints' signing secrets (FREIGHT_ENCRYPTION_KEYS). */
  secretBox: SecretBox | undefined;
  /** The same policy and guarded dispatcher as tenant connections: every connected address is checked. */
  outbound: { policy: Pick<OutboundPolicy, 'allowListed'>; dispatcher: Dispatcher };
  logger: Logger;
  now?: () => number;
}

/** Temporal's wait before attempt `attempt + 1`: what the log shows as the next attempt. */
export function backoffMs(retry: WebhookRetrySettings, attempt: number): number {
  return Math.min(retry.initialIntervalMs * retry.backoffCoefficient ** (attempt - 1), retry.maximumIntervalMs);
}

/** The attempt number Temporal gives this execution (1 outside an activity, e.g. a direct call). */
function currentAttempt(): { attempt: number; signal: AbortSignal | undefined } {
  try {
    const ctx = Context.current();
    return { attempt: ctx.info.attempt, signal: ctx.cancellationSignal };
  } catch {
    return { attempt: 1, signal: undefined };
  }
}

/** The webhook activities, bound to their dependencies. */
export function createWebhookActivities(deps: WebhookActivityDeps) {
  const store = createDeliveryStore(deps.sql);
  const now = deps.now ?? Date.now;

  /**
   * One attempt of one delivery: a signed POST, recorded in the delivery log. Returns when the
   * delivery is settled (2xx, 410, refused, endpoint gone, or settled before); throws a retryable
   * `webhook_not_accepted` failure otherwise, so Temporal tries again after its backoff.
   */
  async function sendWebhook(input: WebhookDeliveryInput): Promise<DeliveryOutcome> {
    const { tenantId, deliveryId } = input;
    const { attempt, signal } = currentAttempt();
    const d = await store.load(tenantId, deliveryId);
    // A delivery already ended (a repeated workflow, a retried activity after its success was logged) is never sent again.
    if (!d || d.status !== 'pending') return 'settled';
    if (d.unavailable) {
      await store.record(tenantId, deliveryId, null, { settle: 'failed', error: d.unavailable });
      return 'unavailable';
    }
    const started = now();
    const checked = checkWebhookUrl(d.url, deps.outbound.policy);
    if ('problem' in checked) {
      await store.record(tenantId, deliveryId, { attempt, statusCode: null, error: `refused by the outbound policy: ${checked.problem}`, durationMs: 0 }, { settle: 'failed' });
      return 'refused';
    }
    if (!deps.secretBox) throw ApplicationFailure.retryable('webhook secrets cannot be opened: FREIGHT_ENCRYPTION_KEYS is not set', 'config');
    const secret = deps.secretBox.open(d.sealed, secretAssociatedData(tenantId, d.endpointId));
    const body = deliveryBody(d.envelope, d.format);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Freight-Webhooks/1',
      [SIGNATURE_HEADER]: signatureHeader(secret, Math.floor(now() / 1000), body),
      [EVENT_ID_HEADER]: d.envelope.id,
      [EVENT_TYPE_HEADER]: d.envelope.type,
    };
    const timeout = AbortSignal.timeout(input.retry.requestTimeoutMs);
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const res = await request(checked.url, {
        method: 'POST', headers, body, dispatcher: deps.outbound.dispatcher,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        headersTimeout: input.retry.requestTimeoutMs, bodyTimeout: input.retry.requestTimeoutMs,
      });
      statusCode = res.statusCode;
      // The answer's body is not read, only drained (bounded) so the connection can be reused.
      await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
    } catch (err) {
      const refusal = outboundRefusal(err);
      if (refusal) {
        await store.record(tenantId, deliveryId, { attempt, statusCode: null, error: refusal.message, durationMs: now() - started }, { settle: 'failed' });
        return 'refused';
      }
      error = timeout.aborted ? `no answer within ${input.retry.requestTimeoutMs} ms` : (err as Error).message || String(err);
    }
    const tried = { attempt, statusCode, error, durationMs: now() - started };
    if (statusCode !== null && statusCode >= 200 && statusCode < 300) {
      await store.record(tenantId, deliveryId, tried, { settle: 'delivered' });
      return 'delivered';
    }
    if (statusCode === 410) {
      // 410 Gone is the receiver saying "stop": the endpoint is disabled, no more events go to it.
      await store.disable(tenantId, d.endpointId, 'the receiver answered 410 Gone');
      await store.record(tenantId, deliveryId, { ...tried, error: 'receiver answered 410 Gone: endpoint disabled' }, { settle: 'failed' });
      return 'gone';
    }
    const why = statusCode !== null ? `receiver answered ${statusCode}` : error ?? 'no answer';
    await store.record(tenantId, deliveryId, { ...tried, error: statusCode !== null ? why : error }, { nextAttemptAt: new Date(now() + backoffMs(input.retry, attempt)) });
    deps.logger.info({ tenantId, deliveryId, attempt, statusCode }, 'webhook delivery not accepted; Temporal retries it');
    throw ApplicationFailure.retryable(why, WEBHOOK_NOT_ACCEPTED);
  }

  /** At the cap: the delivery ends as failed, with the reason, unless an attempt settled it meanwhile. */
  async function settleWebhookDelivery(input: { tenantId: string; deliveryId: string; reason: string }): Promise<void> {
    await store.record(input.tenantId, input.deliveryId, null, { settle: 'failed', error: input.reason });
  }

  return { sendWebhook, settleWebhookDelivery };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
