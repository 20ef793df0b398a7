import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import type { TransactionSql } from '../db/client.ts';
import type { AnyWebhookEventType, WebhookEventType } from './webhook-model.ts';

/** NOTIFY channel the worker's relay listens on; the payload is the tenant id. Sent at commit. */
export const WEBHOOK_OUTBOX_CHANNEL = 'freight_webhook_outbox';

/** What a job event becomes for webhooks, if anything. Structural, so shared/job-events need not be imported here. */
type JobEventLike = { type: string; data: unknown };

/**
 * The webhook events a set of job events makes (pure): every status change is a
 * `job.status_changed`; a batch that ends `failed` is a `batch.failed`. Progress is never sent.
 */
export function webhookEventsOf(
  jobId: string, events: readonly JobEventLike[], previousStatus: string | null,
): Array<{ type: WebhookEventType; data: Record<string, unknown> }> {
  const out: Array<{ type: WebhookEventType; data: Record<string, unknown> }> = [];
  let previous = previousStatus;
  for (const e of events) {
    const data = (e.data ?? {}) as Record<string, unknown>;
    if (e.type === 'status' && typeof data.status === 'string') {
      out.push({ type: 'job.status_changed', data: { jobId, status: data.status, previousStatus: previous } });
      previous = data.status;
    } else if (e.type === 'batch' && data.status === 'failed') {
      out.push({ type: 'batch.failed', data: { jobId, batchId: data.batchId, object: data.object, attempt: data.attempt, succeeded: data.succeeded, failed: data.failed } });
    }
  }
  return out;
}

/**
 * Writes one event and a pending delivery for each live endpoint that subscribed to its type (or
 * for `endpointId` alone: the test event), inside the caller's transaction, and wakes the relay at
 * commit. Nothing is written when no endpoint listens. Returns the event id and the deliveries made.
 */
export async function enqueueWebhookEvent(
  tx: TransactionSql, tenantId: string, event: { type: AnyWebhookEventType; data: Record<string, unknown> }, endpointId?: string,
): Promise<{ eventId: string; deliveries: string[] }> {
  const eventId = randomUUID();
  const rows = await tx<{ id: string }[]>`
    with ep as (
      select id from freight.webhook_endpoints
      where tenant_id = ${tenantId} and deleted_at is null
        and ${endpointId ? tx`id = ${endpointId}` : tx`disabled_at is null and ${event.type} = any(events)`}
    ), ev as (
      insert into freight.webhook_events (id, tenant_id, type, data)
      select ${eventId}, ${tenantId}, ${event.type}, ${tx.json(event.data as postgres.JSONValue)} where exists (select 1 from ep)
      returning id
    )
    insert into freight.webhook_deliveries (id, tenant_id, endpoint_id, event_id)
    select gen_random_uuid(), ${tenantId}, ep.id, ev.id from ep cross join ev
    returning id`;
  if (rows.length > 0) await tx`select pg_notify(${WEBHOOK_OUTBOX_CHANNEL}, ${tenantId})`;
  return { eventId, deliveries: rows.map((r) => r.id) };
}

/**
 * The hook `appendJobEvents` calls (under the job's event lock, before it appends): turns the job
 * events into webhook events when any endpoint of the tenant listens for them. One cheap query when
 * none does; the previous status is read only when a status change is to be sent.
 */
export async function enqueueJobWebhooks(tx: TransactionSql, ref: { tenantId: string; jobId: string }, events: readonly JobEventLike[]): Promise<void> {
  const wanted = webhookEventsOf(ref.jobId, events, null);
  if (wanted.length === 0) return;
  const types = [...new Set(wanted.map((w) => w.type))];
  const [listening] = await tx<{ any: boolean }[]>`
    select exists (select 1 from freight.webhook_endpoints
      where tenant_id = ${ref.tenantId} and deleted_at is null and disabled_at is null and events && ${types}::text[]) as any`;
  if (!listening?.any) return;
  let previous: string | null = null;
  if (types.includes('job.status_changed')) {
    const [last] = await tx<{ status: string }[]>`
      select data->>'status' as status from freight.job_events
      where tenant_id = ${ref.tenantId} and job_id = ${ref.jobId} and type = 'status' order by seq desc limit 1`;
    previous = last?.status ?? 'pending';
  }
  for (const event of webhookEventsOf(ref.jobId, events, previous)) await enqueueWebhookEvent(tx, ref.tenantId, event);
}
