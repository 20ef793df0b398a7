import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobStore } from '../../../activities/jobs/job-store.ts';
import { createOutboundDispatcher } from '../../../activities/connectors/http/outbound-dispatcher.ts';
import { createWebhookActivities } from '../../../activities/webhooks/send-webhook.ts';
import { createSecretBox } from '../../../shared/crypto/secret-box.ts';
import { withTenant } from '../../../shared/db/scope.ts';
import { createOutboundPolicy } from '../../../shared/outbound/outbound-policy.ts';
import { webhookDeliveryWorkflowId } from '../../../workflows/webhook-delivery/definitions.ts';
import { createDeliveryStarter, createWebhookRelay, startWebhookRelay } from '../../../workers/webhook-relay.ts';
import { startWorkerProcess, testTaskQueue } from '../../helpers/engine.ts';
import { createWorkerHarness, type WorkerHarness } from '../../helpers/temporal-worker.ts';
import { loadReadmeVerifier, type VerifyFreightSignature } from '../../helpers/webhook-snippet.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { cleanUpJobs, insertJob, tenantWithConnections, type TenantFixture } from '../support/jobs.ts';
import { startReceiver, type Receiver } from './receiver.ts';

// Deliveries end to end on the real stack: job status changes → outbox (same transaction) → relay
// → one webhookDelivery workflow per delivery in the tenant's namespace → signed POSTs, retried
// with backoff by Temporal until the receiver on 127.0.0.1 answers 2xx; the log through the API.
let t: TestApp;
let a: TenantFixture;
let h: WorkerHarness;
let running: Promise<void>;
let verify: VerifyFreightSignature;
let flaky: Receiver;
let gone: Receiver;
let relayOnce: () => Promise<number>;

const RETRY = { initialIntervalMs: 200, backoffCoefficient: 2, maximumIntervalMs: 1_000, giveUpAfterMs: 120_000, requestTimeoutMs: 5_000 };

beforeAll(async () => {
  t = await createTestApp({ webhookLookup: async () => [{ address: '93.184.216.34' }] });
  a = await tenantWithConnections(t);
  verify = await loadReadmeVerifier();
  flaky = await startReceiver((seen) => (seen < 2 ? 500 : 200));
  gone = await startReceiver(() => 410);
  const policy = createOutboundPolicy({ allowHosts: t.ctx.config.outbound.allowHosts });
  // The worker's dispatcher resolves `rebind.example.com` to loopback: a name that passed at creation
  // and points inside later (DNS rebinding) is caught when the delivery connects.
  const dispatcher = createOutboundDispatcher({
    policy, logger: t.ctx.logger,
    lookup: async (host) => [{ address: host === 'rebind.example.com' ? '127.0.0.1' : '93.184.216.34', family: 4 }],
  });
  h = await createWorkerHarness(t.ctx, createWebhookActivities({
    sql: t.ctx.sql, secretBox: createSecretBox(t.ctx.config.encryptionKeys), outbound: { policy, dispatcher }, logger: t.ctx.logger,
  }), a.tenant.namespace);
  running = h.worker.run();
  // This file's tenant only: other files' deliveries are not for this file's Worker.
  relayOnce = createWebhookRelay(relayOptions());
});

afterAll(async () => {
  h?.worker.shutdown();
  await running;
  await h?.connection.close();
  await Promise.all([flaky?.close(), gone?.close()]);
  await cleanUpJobs(t, [a]);
});

function relayOptions() {
  return { sql: t.ctx.sql, start: createDeliveryStarter({ connection: t.ctx.temporal, taskQueue: h.taskQueue }), retry: RETRY, logger: t.ctx.logger, tenantIds: [a.tenant.id] };
}

async function createWebhook(url: string, events: string[]): Promise<{ id: string; secret: string }> {
  const res = await t.call('POST', '/v1/webhooks', { token: a.engineer, body: { url, events } });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; secret: string };
}

interface Delivery { id: string; eventId: string; eventType: string; status: string; attemptCount: number; lastStatusCode: number | null; lastError: string | null; deliveredAt: string | null; attempts: Array<{ attempt: number; statusCode: number | null; error: string | null }> }

async function deliveries(webhookId: string): Promise<Delivery[]> {
  const res = await t.call('GET', `/v1/webhooks/${webhookId}/deliveries`, { token: a.viewer });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: Delivery[] }).data;
}

/** Runs the relay (as the worker's loop would) until every delivery of the webhook has settled. */
async function settle(webhookId: string, count: number): Promise<Delivery[]> {
  await expect.poll(async () => {
    await relayOnce();
    const list = await deliveries(webhookId);
    return list.length === count && list.every((d) => d.status !== 'pending');
  }, { timeout: 60_000, interval: 250 }).toBe(true);
  return deliveries(webhookId);
}

describe('webhook deliveries', () => {
  it("sends each job status change once, retried through 500s to a 200, signed, with one event id per event", async () => {
    const hook = await createWebhook(flaky.url, ['job.status_changed']);
    const jobId = await insertJob(t, a, { status: 'pending' });
    const ref = { tenantId: a.tenant.id, jobId };
    const store = createJobStore(t.ctx.sql, { signal: () => undefined });
    await store.begin(ref);
    await store.setStatus(ref, 'paused');
    await store.setStatus(ref, 'running');
    await store.finish(ref, 'done');
    // The starter running twice at once (two worker processes) starts each delivery once …
    await Promise.all([relayOnce(), relayOnce()]);
    // … and so does a relay that crashed between starting the workflows and marking them started.
    const reset = await withTenant(t.ctx.ownerSql, a.tenant.id, (tx) => tx`
      update freight.webhook_deliveries set workflow_started_at = null where endpoint_id = ${hook.id} and status = 'pending' returning id`);
    expect(reset).toHaveLength(4);
    expect(await relayOnce()).toBe(4);

    const settled = await settle(hook.id, 4);
    const events = settled.map((d) => d.eventId);
    expect(new Set(events).size).toBe(4);
    for (const d of settled) {
      expect(d).toMatchObject({ status: 'delivered', eventType: 'job.status_changed', attemptCount: 3, lastStatusCode: 200, lastError: null });
      expect(d.deliveredAt).not.toBeNull();
      expect(d.attempts.map((x) => [x.attempt, x.statusCode])).toEqual([[1, 500], [2, 500], [3, 200]]);
      const requests = flaky.forEvent(d.eventId);
      expect(requests.map((r) => r.status)).toEqual([500, 500, 200]);
      for (const r of requests) {
        expect(r.headers['freight-event-type']).toBe('job.status_changed');
        expect(verify(hook.secret, String(r.headers['freight-signature']), r.raw)).toBe(true);
        expect(r.raw.equals(requests[0]?.raw ?? Buffer.alloc(0))).toBe(true);
      }
    }
    const bodies = settled.map((d) => JSON.parse(flaky.forEvent(d.eventId)[2]?.raw.toString() ?? '{}') as { id: string; type: string; tenantId: string; createdAt: string; data: Record<string, unknown> })
      .sort((x, y) => x.createdAt.localeCompare(y.createdAt) || 0);
    expect(bodies.map((b) => [b.data.previousStatus, b.data.status])).toEqual([['pending', 'running'], ['running', 'paused'], ['paused', 'running'], ['running', 'completed']]);
    for (const b of bodies) expect(b).toMatchObject({ type: 'job.status_changed', tenantId: a.tenant.id, data: { jobId } });
    expect(bodies.map((b) => b.id).sort()).toEqual([...events].sort());

    // Started again by hand after it closed, a delivery's workflow is refused: its id is the delivery's.
    const first = settled[0];
    if (!first) throw new Error('no delivery');
    const start = createDeliveryStarter({ connection: t.ctx.temporal, taskQueue: h.taskQueue });
    expect(await start(a.tenant.namespace, { tenantId: a.tenant.id, deliveryId: first.id, retry: RETRY })).toBe('already-started');
    // The log settles inside the activity, a moment before its workflow closes.
    const handle = h.client.workflow.getHandle(webhookDeliveryWorkflowId(first.id));
    expect(await handle.result()).toBe('delivered');
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    expect(flaky.received).toHaveLength(12);
    expect(await withTenant(t.ctx.sql, a.tenant.id, (tx) => tx`select 1 from freight.webhook_deliveries where endpoint_id = ${hook.id} and workflow_started_at is null`)).toHaveLength(0);
  });

  it('sends the cancellation of a job whose workflow never started (the API changes that status itself)', async () => {
    const hook = await createWebhook(flaky.url, ['job.status_changed']);
    const jobId = await insertJob(t, a, { status: 'pending' });
    const res = await t.call('POST', `/v1/jobs/${jobId}/cancel`, { token: a.engineer, body: { reason: 'wrong mapping' } });
    expect(res.status, await res.clone().text()).toBe(202);
    const [d] = await settle(hook.id, 1);
    expect(d).toMatchObject({ status: 'delivered', eventType: 'job.status_changed' });
    const body = JSON.parse(flaky.forEvent(d?.eventId ?? '').at(-1)?.raw.toString() ?? '{}') as { data: unknown };
    expect(body.data).toEqual({ jobId, status: 'cancelled', previousStatus: 'pending' });
  });

  it('gives a delivery up at the cap and logs it as failed, every attempt kept', async () => {
    const down = await startReceiver(() => 503);
    try {
      const hook = await createWebhook(down.url, ['job.status_changed']);
      const res = await t.call('POST', `/v1/webhooks/${hook.id}/test`, { token: a.engineer });
      const { eventId } = (await res.json()) as { eventId: string };
      const relayCapped = createWebhookRelay({ ...relayOptions(), retry: { ...RETRY, giveUpAfterMs: 1_500 } });
      await expect.poll(async () => {
        await relayCapped();
        return (await deliveries(hook.id))[0]?.status;
      }, { timeout: 30_000, interval: 250 }).toBe('failed');
      const [d] = await deliveries(hook.id);
      const sent = down.forEvent(eventId).length;
      expect(sent).toBeGreaterThanOrEqual(2);
      expect(d).toMatchObject({ lastStatusCode: 503, nextAttemptAt: null, deliveredAt: null });
      expect(d?.lastError).toMatch(/given up: not accepted within/);
      // An attempt in flight when the cap struck is logged as an attempt, but no longer changes the settled delivery.
      expect(d?.attemptCount).toBeGreaterThanOrEqual(2);
      expect(d?.attemptCount).toBeLessThanOrEqual(sent);
      await expect.poll(async () => (await deliveries(hook.id))[0]?.attempts.map((x) => x.statusCode)).toEqual(Array.from({ length: sent }, () => 503));
    } finally {
      await down.close();
    }
  });

  it('starts a delivery on the outbox NOTIFY at commit, without waiting for its interval', async () => {
    const hook = await createWebhook(flaky.url, ['batch.failed']);
    const loop = await startWebhookRelay({ ...relayOptions(), intervalMs: 600_000 });
    try {
      const res = await t.call('POST', `/v1/webhooks/${hook.id}/test`, { token: a.engineer });
      expect(res.status).toBe(202);
      const { eventId } = (await res.json()) as { eventId: string };
      await expect.poll(async () => (await deliveries(hook.id))[0]?.status, { timeout: 30_000 }).toBe('delivered');
      expect(flaky.forEvent(eventId).map((r) => r.status)).toEqual([500, 500, 200]);
    } finally {
      await loop.stop();
    }
  });

  it('sends the test event; a 410 Gone disables the endpoint and nothing more is sent to it', async () => {
    const hook = await createWebhook(gone.url, ['job.status_changed']);
    const res = await t.call('POST', `/v1/webhooks/${hook.id}/test`, { token: a.engineer });
    expect(res.status, await res.clone().text()).toBe(202);
    const { eventId } = (await res.json()) as { eventId: string };
    const [d] = await settle(hook.id, 1);
    expect(d).toMatchObject({ eventId, eventType: 'webhook.test', status: 'failed', attemptCount: 1, lastStatusCode: 410 });
    expect(gone.forEvent(eventId)).toHaveLength(1);
    expect(verify(hook.secret, String(gone.forEvent(eventId)[0]?.headers['freight-signature']), gone.forEvent(eventId)[0]?.raw ?? '')).toBe(true);
    const endpoint = (await (await t.call('GET', `/v1/webhooks/${hook.id}`, { token: a.viewer })).json()) as { disabledAt: string | null; disabledReason: string };
    expect(endpoint.disabledAt).not.toBeNull();
    expect(endpoint.disabledReason).toMatch(/410/);
    // A later status change makes no delivery to the disabled endpoint.
    const jobId = await insertJob(t, a, { status: 'pending' });
    await createJobStore(t.ctx.sql, { signal: () => undefined }).begin({ tenantId: a.tenant.id, jobId });
    expect(await deliveries(hook.id)).toHaveLength(1);
  });

  it('refuses at delivery time a host that now resolves to loopback (DNS rebinding): logged as failed, nothing sent', async () => {
    const hook = await createWebhook('https://rebind.example.com/hook', ['job.status_changed']);
    const res = await t.call('POST', `/v1/webhooks/${hook.id}/test`, { token: a.engineer });
    expect(res.status).toBe(202);
    const [d] = await settle(hook.id, 1);
    expect(d).toMatchObject({ status: 'failed', attemptCount: 1, lastStatusCode: null });
    expect(d?.lastError).toMatch(/outbound policy.*rebind\.example\.com resolves to a loopback address/);
  });
});

describe('the production worker process', () => {
  // Last in this file, on its own: its relay serves every tenant (as in production), so it runs
  // when this file's own relay has nothing pending. The tenant has no job: only its pending delivery
  // makes the demand loop give its namespace a Worker.
  it('relays, delivers with retries and logs a delivery for a tenant without jobs', async () => {
    const worker = startWorkerProcess(testTaskQueue('webhooks'), {
      FREIGHT_WEBHOOK_RELAY: 'on', FREIGHT_WEBHOOK_RETRY_INITIAL_MS: '200', FREIGHT_WEBHOOK_RETRY_MAX_INTERVAL_MS: '1000',
      FREIGHT_OUTBOUND_ALLOW_HOSTS: '127.0.0.1:*',
    });
    try {
      await worker.ready();
      const b = await tenantWithConnections(t);
      const res = await t.call('POST', '/v1/webhooks', { token: b.engineer, body: { url: flaky.url, events: ['job.status_changed'], format: 'slack' } });
      expect(res.status, await res.clone().text()).toBe(201);
      const hook = (await res.json()) as { id: string; secret: string };
      const test = await t.call('POST', `/v1/webhooks/${hook.id}/test`, { token: b.engineer });
      const { eventId } = (await test.json()) as { eventId: string };
      await expect.poll(async () => {
        const list = ((await (await t.call('GET', `/v1/webhooks/${hook.id}/deliveries`, { token: b.viewer })).json()) as { data: Delivery[] }).data;
        return list[0]?.status;
      }, { timeout: 90_000, interval: 500 }).toBe('delivered');
      const requests = flaky.forEvent(eventId);
      expect(requests.map((r) => r.status)).toEqual([500, 500, 200]);
      for (const r of requests) expect(verify(hook.secret, String(r.headers['freight-signature']), r.raw)).toBe(true);
      expect(JSON.parse(requests[2]?.raw.toString() ?? '{}')).toEqual({ text: 'Freight test event: this endpoint receives deliveries.' });
    } finally {
      await worker.kill();
    }
  });
});
