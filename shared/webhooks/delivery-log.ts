import type { TransactionSql } from '../db/client.ts';
import { ValidationError } from '../errors.ts';
import { decodeCursor, encodeCursor } from '../tenancy/cursor.ts';
import type { AnyWebhookEventType, DeliveryStatus } from './webhook-model.ts';

/** One POST to the receiver, as the delivery log shows it. */
export interface DeliveryAttempt {
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: string;
}

/** One (endpoint, event) delivery: its state and every attempt so far, oldest first. */
export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: AnyWebhookEventType;
  status: DeliveryStatus;
  attemptCount: number;
  lastStatusCode: number | null;
  lastError: string | null;
  /** When the next attempt is due (an estimate from the backoff; Temporal schedules it), while pending. */
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  attempts: DeliveryAttempt[];
}

export interface DeliveryPage {
  data: WebhookDelivery[];
  nextCursor: string | null;
}

/** Attempts listed per delivery at most (the count is exact; the oldest beyond this are left out). */
const ATTEMPTS_SHOWN = 50;

interface DeliveryRow {
  id: string; event_id: string; event_type: AnyWebhookEventType; status: DeliveryStatus; attempts: number; last_status_code: number | null;
  last_error: string | null; next_attempt_at: Date | null; delivered_at: Date | null; created_at: Date;
}

interface AttemptRow { delivery_id: string; attempt: number; status_code: number | null; error: string | null; duration_ms: number; attempted_at: Date }

/** A page of an endpoint's delivery log, newest first, in the caller's tenant-scoped transaction. */
export async function readDeliveries(tx: TransactionSql, endpointId: string, page: { limit: number; cursor?: string | undefined }): Promise<DeliveryPage> {
  const after = page.cursor ? decodeCursor(page.cursor) : undefined;
  if (page.cursor && !after) throw new ValidationError('Invalid cursor', [{ path: ['cursor'], message: 'not a cursor from a previous page' }]);
  const rows = await tx<DeliveryRow[]>`
    select d.id, d.event_id, e.type as event_type, d.status, d.attempts, d.last_status_code, d.last_error,
           d.next_attempt_at, d.delivered_at, d.created_at
    from freight.webhook_deliveries d join freight.webhook_events e on e.id = d.event_id
    where d.endpoint_id = ${endpointId}
      and ${after ? tx`(date_trunc('milliseconds', d.created_at), d.id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : tx`true`}
    order by date_trunc('milliseconds', d.created_at) desc, d.id desc limit ${page.limit + 1}`;
  const shown = rows.slice(0, page.limit);
  const attempts = shown.length === 0 ? [] : await tx<AttemptRow[]>`
    select delivery_id, attempt, status_code, error, duration_ms, attempted_at from (
      select a.*, row_number() over (partition by delivery_id order by attempt desc) as n
      from freight.webhook_attempts a where delivery_id = any(${shown.map((r) => r.id)}::uuid[])
    ) a where n <= ${ATTEMPTS_SHOWN} order by delivery_id, attempt`;
  const byDelivery = new Map<string, DeliveryAttempt[]>();
  for (const a of attempts) {
    const list = byDelivery.get(a.delivery_id) ?? [];
    list.push({ attempt: a.attempt, statusCode: a.status_code, error: a.error, durationMs: a.duration_ms, attemptedAt: a.attempted_at.toISOString() });
    byDelivery.set(a.delivery_id, list);
  }
  const data = shown.map((r): WebhookDelivery => ({
    id: r.id, eventId: r.event_id, eventType: r.event_type, status: r.status, attemptCount: r.attempts, lastStatusCode: r.last_status_code,
    lastError: r.last_error, nextAttemptAt: r.status === 'pending' ? r.next_attempt_at?.toISOString() ?? null : null,
    deliveredAt: r.delivered_at?.toISOString() ?? null, createdAt: r.created_at.toISOString(), attempts: byDelivery.get(r.id) ?? [],
  }));
  const last = data.at(-1);
  return { data, nextCursor: rows.length > page.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
}
