import { randomUUID } from 'node:crypto';
import type { Actor } from '../auth/principal.ts';
import { EncryptionNotConfiguredError } from '../connections/connection-model.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Sql } from '../db/client.ts';
import { withTenant } from '../db/scope.ts';
import { AppError, NotFoundError, ValidationError } from '../errors.ts';
import type { OutboundPolicy } from '../outbound/outbound-policy.ts';
import { recordAudit } from '../tenancy/audit.ts';
import { decodeCursor, encodeCursor } from '../tenancy/cursor.ts';
import { ownTenantOf, UUID_PATTERN } from '../tenancy/tenant-model.ts';
import { readDeliveries, type DeliveryPage } from './delivery-log.ts';
import { enqueueWebhookEvent } from './outbox.ts';
import { newSigningSecret } from './signing.ts';
import { checkWebhookUrl, resolvedProblem, type AddressLookup } from './webhook-url.ts';
import {
  ENDPOINT_COLUMNS, SECRET_PREFIX_LENGTH, secretAssociatedData, toEndpoint, WEBHOOK_EVENT_TYPES, WEBHOOK_FORMATS, WEBHOOK_TEST_EVENT,
  type WebhookEndpoint, type WebhookEndpointRow, type WebhookEventType, type WebhookFormat,
} from './webhook-model.ts';

export interface CreateWebhookInput {
  url: string;
  events: WebhookEventType[];
  format?: WebhookFormat | undefined;
  description?: string | undefined;
}

/** The created endpoint and, this once, its whole signing secret. */
export type CreatedWebhook = WebhookEndpoint & { secret: string };

/** A webhook URL the outbound policy refuses: well-formed, so 422 (not the schema's 400). */
export class WebhookUrlRefusedError extends AppError {
  constructor(problem: string) {
    super('webhook_url_refused', 422, `Webhook URL refused by the outbound policy: ${problem}`, { details: [{ path: ['url'], message: problem }] });
    this.name = 'WebhookUrlRefusedError';
  }
}

export interface WebhookServiceOptions {
  sql: Sql;
  secretBox?: SecretBox | undefined;
  outbound: Pick<OutboundPolicy, 'allowListed'>;
  /** Resolves a URL's host at creation (tests point names at addresses of their choice). */
  lookup?: AddressLookup;
}

/** The API guards at the edge too; this guards every other caller. */
function validated(input: CreateWebhookInput): CreateWebhookInput {
  const issues: { path: string[]; message: string }[] = [];
  if (typeof input.url !== 'string') issues.push({ path: ['url'], message: 'must be a string' });
  const events = Array.isArray(input.events) ? [...new Set(input.events)] : [];
  if (events.length === 0 || events.some((e) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e))) {
    issues.push({ path: ['events'], message: `one or more of ${WEBHOOK_EVENT_TYPES.join(', ')}` });
  }
  const format = input.format ?? 'freight';
  if (!(WEBHOOK_FORMATS as readonly string[]).includes(format)) issues.push({ path: ['format'], message: `one of ${WEBHOOK_FORMATS.join(', ')}` });
  const description = typeof input.description === 'string' ? input.description.trim() || undefined : undefined;
  if (description && description.length > 500) issues.push({ path: ['description'], message: 'at most 500 characters' });
  if (issues.length > 0) throw new ValidationError('Invalid webhook', issues);
  return { url: input.url, events, format, description };
}

/**
 * A tenant's webhook endpoints: created with a signing secret shown once and sealed at rest, listed,
 * deleted (soft: the delivery log stays readable by the worker), their delivery log, and a test event.
 */
export function createWebhookService(options: WebhookServiceOptions) {
  const { sql, secretBox, outbound } = options;

  async function create(actor: Actor, raw: CreateWebhookInput): Promise<CreatedWebhook> {
    if (!secretBox) throw new EncryptionNotConfiguredError();
    const input = validated(raw);
    const checked = checkWebhookUrl(input.url, outbound);
    if ('problem' in checked) throw new WebhookUrlRefusedError(checked.problem);
    const resolved = await resolvedProblem(checked.url, outbound, options.lookup ? { lookup: options.lookup } : {});
    if (resolved) throw new WebhookUrlRefusedError(resolved);
    const tenantId = ownTenantOf(actor.principal);
    const id = randomUUID();
    const secret = newSigningSecret();
    const sealed = secretBox.seal(secret, secretAssociatedData(tenantId, id));
    const createdBy = `${actor.principal.actorType}:${actor.principal.actorId}`;
    return withTenant(sql, tenantId, async (tx) => {
      const [row] = await tx<WebhookEndpointRow[]>`
        insert into freight.webhook_endpoints
          (id, tenant_id, url, description, events, format, secret_prefix, secret_ciphertext, secret_iv, secret_tag, key_id, created_by)
        values (${id}, ${tenantId}, ${checked.url}, ${input.description ?? null}, ${input.events}::text[], ${input.format ?? 'freight'},
          ${secret.slice(0, SECRET_PREFIX_LENGTH)}, ${sealed.ciphertext}, ${sealed.iv}, ${sealed.tag}, ${sealed.keyId}, ${createdBy})
        returning ${tx(ENDPOINT_COLUMNS)}`;
      if (!row) throw new Error('webhook insert returned no row');
      await recordAudit(tx, actor, {
        tenantId, action: 'webhook.create', targetType: 'webhook', targetId: id,
        details: { url: checked.url, events: input.events, format: input.format ?? 'freight', secretPrefix: row.secret_prefix, keyId: sealed.keyId },
      });
      return { ...toEndpoint(row), secret };
    });
  }

  async function list(actor: Actor, page: { limit: number; cursor?: string | undefined }): Promise<{ data: WebhookEndpoint[]; nextCursor: string | null }> {
    const tenantId = ownTenantOf(actor.principal);
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    if (page.cursor && !after) throw new ValidationError('Invalid cursor', [{ path: ['cursor'], message: 'not a cursor from a previous page' }]);
    const rows = await withTenant(sql, tenantId, (tx) => tx<WebhookEndpointRow[]>`
      select ${tx(ENDPOINT_COLUMNS)} from freight.webhook_endpoints
      where deleted_at is null
        and ${after ? tx`(date_trunc('milliseconds', created_at), id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : tx`true`}
      order by date_trunc('milliseconds', created_at) desc, id desc limit ${page.limit + 1}`);
    const data = rows.slice(0, page.limit).map(toEndpoint);
    const last = data.at(-1);
    return { data, nextCursor: rows.length > page.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
  }

  async function get(actor: Actor, webhookId: string): Promise<WebhookEndpoint> {
    const tenantId = ownTenantOf(actor.principal);
    if (!UUID_PATTERN.test(webhookId)) throw new NotFoundError('Webhook');
    const [row] = await withTenant(sql, tenantId, (tx) => tx<WebhookEndpointRow[]>`
      select ${tx(ENDPOINT_COLUMNS)} from freight.webhook_endpoints where id = ${webhookId} and deleted_at is null`);
    if (!row) throw new NotFoundError('Webhook');
    return toEndpoint(row);
  }

  /** Soft delete: pending deliveries to it end as failed ("endpoint deleted") at their next attempt. */
  async function remove(actor: Actor, webhookId: string): Promise<void> {
    const tenantId = ownTenantOf(actor.principal);
    if (!UUID_PATTERN.test(webhookId)) throw new NotFoundError('Webhook');
    await withTenant(sql, tenantId, async (tx) => {
      const [row] = await tx<{ url: string }[]>`
        update freight.webhook_endpoints set deleted_at = now() where id = ${webhookId} and deleted_at is null returning url`;
      if (!row) throw new NotFoundError('Webhook');
      await recordAudit(tx, actor, { tenantId, action: 'webhook.delete', targetType: 'webhook', targetId: webhookId, details: { url: row.url } });
    });
  }

  async function deliveries(actor: Actor, webhookId: string, page: { limit: number; cursor?: string | undefined }): Promise<DeliveryPage> {
    const tenantId = ownTenantOf(actor.principal);
    await get(actor, webhookId);
    return withTenant(sql, tenantId, (tx) => readDeliveries(tx, webhookId, page));
  }

  /** Queues a `webhook.test` event for this endpoint alone, through the same outbox and workflow as any event. */
  async function sendTest(actor: Actor, webhookId: string): Promise<{ eventId: string; deliveryId: string }> {
    const tenantId = ownTenantOf(actor.principal);
    const endpoint = await get(actor, webhookId);
    return withTenant(sql, tenantId, async (tx) => {
      const { eventId, deliveries: [deliveryId] } = await enqueueWebhookEvent(tx, tenantId, {
        type: WEBHOOK_TEST_EVENT, data: { webhookId, message: 'A test event from Freight: your endpoint receives and can verify deliveries.' },
      }, webhookId);
      if (!deliveryId) throw new NotFoundError('Webhook');
      await recordAudit(tx, actor, { tenantId, action: 'webhook.test', targetType: 'webhook', targetId: webhookId, details: { url: endpoint.url, eventId } });
      return { eventId, deliveryId };
    });
  }

  return { create, list, get, remove, deliveries, sendTest };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
