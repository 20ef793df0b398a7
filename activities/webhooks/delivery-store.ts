import type { Sql } from '../../shared/db/client.ts';
import { withTenant } from '../../shared/db/scope.ts';
import type { DeliveryStatus, WebhookEnvelope, WebhookFormat } from '../../shared/webhooks/webhook-model.ts';

/** What one attempt needs: the delivery's state, its endpoint (with the sealed secret) and the event. */
export interface DeliveryContext {
  status: DeliveryStatus;
  endpointId: string;
  url: string;
  format: WebhookFormat;
  unavailable: string | null;
  sealed: { ciphertext: Buffer; iv: Buffer; tag: Buffer; keyId: string };
  envelope: WebhookEnvelope;
}

export interface AttemptRecord {
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** The delivery log's SQL, for the webhook activities (one home for these tables' writes). */
export function createDeliveryStore(sql: Sql) {
  return {
    async load(tenantId: string, deliveryId: string): Promise<DeliveryContext | undefined> {
      const [r] = await withTenant(sql, tenantId, (tx) => tx<{
        status: DeliveryStatus; endpoint_id: string; url: string; format: WebhookFormat; disabled_reason: string | null; disabled_at: Date | null;
        deleted_at: Date | null; secret_ciphertext: Buffer; secret_iv: Buffer; secret_tag: Buffer; key_id: string;
        event_id: string; type: WebhookEnvelope['type']; data: Record<string, unknown>; created_at: Date;
      }[]>`
        select d.status, d.endpoint_id, w.url, w.format, w.disabled_at, w.disabled_reason, w.deleted_at,
               w.secret_ciphertext, w.secret_iv, w.secret_tag, w.key_id, e.id as event_id, e.type, e.data, e.created_at
        from freight.webhook_deliveries d
        join freight.webhook_endpoints w on w.id = d.endpoint_id
        join freight.webhook_events e on e.id = d.event_id
        where d.id = ${deliveryId}`);
      if (!r) return undefined;
      return {
        status: r.status, endpointId: r.endpoint_id, url: r.url, format: r.format,
        unavailable: r.deleted_at ? 'endpoint deleted' : r.disabled_at ? `endpoint disabled: ${r.disabled_reason ?? 'no reason'}` : null,
        sealed: { ciphertext: r.secret_ciphertext, iv: r.secret_iv, tag: r.secret_tag, keyId: r.key_id },
        envelope: { id: r.event_id, type: r.type, createdAt: r.created_at.toISOString(), tenantId, data: r.data },
      };
    },

    /**
     * Records one attempt and its outcome on the delivery. `settle` ends it (delivered or failed);
     * otherwise it stays pending until `nextAttemptAt`. A settled delivery is never changed again.
     */
    async record(tenantId: string, deliveryId: string, a: AttemptRecord | null, outcome:
      { settle: 'delivered' | 'failed'; error?: string } | { nextAttemptAt: Date }): Promise<void> {
      await withTenant(sql, tenantId, async (tx) => {
        if (a) {
          await tx`
            insert into freight.webhook_attempts (tenant_id, delivery_id, attempt, status_code, error, duration_ms)
            values (${tenantId}, ${deliveryId}, ${a.attempt}, ${a.statusCode}, ${a.error?.slice(0, 1000) ?? null}, ${a.durationMs})
            on conflict (delivery_id, attempt) do update set status_code = excluded.status_code, error = excluded.error,
              duration_ms = excluded.duration_ms, attempted_at = now()`;
        }
        // With an attempt, its own result is the last one; a settlement without one (the cap) adds its reason.
        const lastError = a ? a.error : ('settle' in outcome ? outcome.error : undefined) ?? null;
        await tx`
          update freight.webhook_deliveries set
            attempts = greatest(attempts, ${a?.attempt ?? 0}),
            last_status_code = case when ${a !== null} then ${a?.statusCode ?? null}::int else last_status_code end,
            last_error = case when ${a !== null} then ${lastError?.slice(0, 1000) ?? null} else coalesce(${lastError?.slice(0, 1000) ?? null}, last_error) end,
            status = ${'settle' in outcome ? outcome.settle : 'pending'},
            next_attempt_at = ${'nextAttemptAt' in outcome ? outcome.nextAttemptAt : null},
            delivered_at = case when ${'settle' in outcome && outcome.settle === 'delivered'} then now() else delivered_at end
          where id = ${deliveryId} and status = 'pending'`;
      });
    },

    /** 410 Gone: the receiver says the endpoint is no more; nothing is sent to it again. */
    async disable(tenantId: string, endpointId: string, reason: string): Promise<void> {
      await withTenant(sql, tenantId, (tx) => tx`
        update freight.webhook_endpoints set disabled_at = now(), disabled_reason = ${reason} where id = ${endpointId} and disabled_at is null`);
    },
  };
}

export type DeliveryStore = ReturnType<typeof createDeliveryStore>;
