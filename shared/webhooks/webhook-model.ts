/**
 * What a webhook is, as clients and the worker see it. Pure: the workflow and the API both import
 * the constants, so this file imports nothing.
 */

/**
 * Events an endpoint may subscribe to. `undo.finished` is declared now and emitted by the undo
 * workflow once it exists (issue 17, item 1); `webhook.test` is only ever sent by
 * `POST /v1/webhooks/{id}/test`, whatever the endpoint subscribed to.
 */
export const WEBHOOK_EVENT_TYPES = ['job.status_changed', 'batch.failed', 'undo.finished'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export const WEBHOOK_TEST_EVENT = 'webhook.test';
export type AnyWebhookEventType = WebhookEventType | typeof WEBHOOK_TEST_EVENT;

/** `freight`: the signed event envelope; `slack`: `{text}` as a Slack incoming webhook takes it (still signed). */
export const WEBHOOK_FORMATS = ['freight', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Headers of every delivery (documented in the README's "Webhooks" section). */
export const SIGNATURE_HEADER = 'Freight-Signature';
export const EVENT_ID_HEADER = 'Freight-Event-Id';
export const EVENT_TYPE_HEADER = 'Freight-Event-Type';

/** Characters of the signing secret shown after creation (`whsec_` and a few more). */
export const SECRET_PREFIX_LENGTH = 12;

/** A tenant's endpoint as the API shows it: never the secret, only its first characters. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEventType[];
  format: WebhookFormat;
  secretPrefix: string;
  /** Set when the receiver answered 410 Gone: nothing is delivered to it any more. */
  disabledAt: string | null;
  disabledReason: string | null;
  createdAt: string;
}

export interface WebhookEndpointRow {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEventType[];
  format: WebhookFormat;
  secret_prefix: string;
  disabled_at: Date | null;
  disabled_reason: string | null;
  created_at: Date;
}

/** Never `select *`: the sealed secret stays in the database unless the worker opens it. */
export const ENDPOINT_COLUMNS = ['id', 'url', 'description', 'events', 'format', 'secret_prefix', 'disabled_at', 'disabled_reason', 'created_at'];

export function toEndpoint(row: WebhookEndpointRow): WebhookEndpoint {
  return {
    id: row.id, url: row.url, description: row.description, events: row.events, format: row.format, secretPrefix: row.secret_prefix,
    disabledAt: row.disabled_at?.toISOString() ?? null, disabledReason: row.disabled_reason, createdAt: row.created_at.toISOString(),
  };
}

/** The body of a `freight`-format delivery: what the signature covers, byte for byte. */
export interface WebhookEnvelope {
  id: string;
  type: AnyWebhookEventType;
  createdAt: string;
  tenantId: string;
  data: Record<string, unknown>;
}

/** Binds a sealed secret to its row: copied into another row or tenant, it no longer opens. */
export function secretAssociatedData(tenantId: string, endpointId: string): string {
  return `webhook:${tenantId}:${endpointId}`;
}
