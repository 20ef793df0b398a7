import { z } from '@hono/zod-openapi';
import { PAGE_CURSOR } from '../../shared/tenancy/cursor.ts';
import type { AllowedHost } from '../../shared/outbound/allow-list.ts';
import { webhookUrlPattern } from '../../shared/webhooks/webhook-url.ts';
import { DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES, WEBHOOK_FORMATS, WEBHOOK_TEST_EVENT } from '../../shared/webhooks/webhook-model.ts';
import { cursorQuery, textField } from './common.ts';

const EndpointShape = {
  id: z.uuid(),
  url: z.string().openapi({ example: 'https://hooks.example.com/freight' }),
  description: z.string().nullable(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  format: z.enum(WEBHOOK_FORMATS),
  secretPrefix: z.string().openapi({ description: 'The first characters of the signing secret (the whole secret is shown once, at creation)', example: 'whsec_3fK9aQ' }),
  disabledAt: z.string().nullable().openapi({ format: 'date-time', description: 'Set when the receiver answered 410 Gone: nothing is delivered any more' }),
  disabledReason: z.string().nullable(),
  createdAt: z.string().openapi({ format: 'date-time' }),
};

export const WebhookSchema = z.object(EndpointShape).openapi('Webhook', { description: 'A webhook endpoint. Its signing secret is stored encrypted and never returned after creation.' });

export const CreatedWebhookSchema = z.object({
  ...EndpointShape,
  secret: z.string().openapi({ description: 'The signing secret (HMAC-SHA256 key, used as UTF-8). Shown only in this response.', example: 'whsec_3fK9aQ…' }),
}).openapi('CreatedWebhook');

/**
 * The create body. `url` declares the pattern of URLs the outbound policy admits before DNS (any
 * public host name over https, or an operator-allow-listed host); the policy itself answers 422
 * `webhook_url_refused` for anything else, and for a name that resolves to a non-public address.
 */
export function createWebhookRequestSchema(allowHosts: readonly AllowedHost[]) {
  return z.strictObject({
    url: z.string().min(1).max(2000).openapi({
      pattern: webhookUrlPattern(allowHosts), example: 'https://hooks.example.com/freight',
      description: 'An https URL on a public host (or an operator-allow-listed host). Loopback, private, link-local (metadata), ' +
        'unique-local and other non-public addresses are refused, at creation (422) and again at every delivery.',
    }),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(10).openapi({ description: 'Events to deliver (`undo.finished` is declared; the undo workflow will emit it); repeats count once' }),
    format: z.enum(WEBHOOK_FORMATS).optional().openapi({ description: '`freight` (default): the signed event envelope; `slack`: a `{"text": …}` body for a Slack incoming webhook' }),
    description: textField(500).optional(),
  }).openapi('CreateWebhookRequest');
}

export const WebhookPageSchema = z.object({ data: z.array(WebhookSchema), nextCursor: z.string().nullable() }).openapi('WebhookPage');

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: cursorQuery(PAGE_CURSOR),
});

const DeliveryAttemptSchema = z.object({
  attempt: z.number().int(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
  attemptedAt: z.string().openapi({ format: 'date-time' }),
}).openapi('WebhookDeliveryAttempt');

export const DeliverySchema = z.object({
  id: z.uuid(),
  eventId: z.uuid().openapi({ description: 'The `Freight-Event-Id` header: the same on every attempt' }),
  eventType: z.enum([...WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT]),
  status: z.enum(DELIVERY_STATUSES),
  attemptCount: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable().openapi({ format: 'date-time', description: 'While pending: when the next attempt is due (from the backoff)' }),
  deliveredAt: z.string().nullable().openapi({ format: 'date-time' }),
  createdAt: z.string().openapi({ format: 'date-time' }),
  attempts: z.array(DeliveryAttemptSchema).openapi({ description: 'Every attempt, oldest first (the last 50 at most)' }),
}).openapi('WebhookDelivery');

export const DeliveryPageSchema = z.object({ data: z.array(DeliverySchema), nextCursor: z.string().nullable() }).openapi('WebhookDeliveryPage');

export const TestEventSchema = z.object({ eventId: z.uuid(), deliveryId: z.uuid() }).openapi('WebhookTestEvent');
