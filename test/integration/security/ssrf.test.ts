import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities/index.ts';
import { createBudgetRegistry } from '../../../activities/connectors/budget/budget-registry.ts';
import { createOutboundDispatcher, type HostLookup } from '../../../activities/connectors/http/outbound-dispatcher.ts';
import { createConnectionService } from '../../../shared/connections/connections.ts';
import { createSecretBox } from '../../../shared/crypto/secret-box.ts';
import { createLogger } from '../../../shared/logger.ts';
import { parseAllowHosts } from '../../../shared/outbound/allow-list.ts';
import { createOutboundPolicy, type OutboundPolicy } from '../../../shared/outbound/outbound-policy.ts';
import { tenantKey } from '../../../shared/s3.ts';
import { OFFICIAL_BASE_URLS } from '../../../shared/pairs/index.ts';
import { temporalConnectionOptions } from '../../../shared/temporal.ts';
import { WORKER_TUNING } from '../../../workers/worker-tuning.ts';
import { TERMINAL } from '../../helpers/engine.ts';
import { testBundle } from '../../helpers/temporal-worker.ts';
import { createKey, createTenant, createTestApp, type TestApp } from '../support/app.ts';
import { expectError, send } from './support/http.ts';
import { saveLogs } from './support/world.ts';

// Server-side request forgery, as a tenant's engineer would try it. Stand-ins run on loopback: an
// "internal service" (MinIO-like: answers XML carrying a marker to anything), an allow-listed
// "sandbox" that redirects there, and an allow-listed one that answers errors in XML. The apps and
// the worker here use a narrow allow-list (those two sandboxes only) and an official table whose
// hosts a lookup injection resolves to loopback — DNS pointing a vendor's name inside.
// Refused at connection time where the name decides; at run time otherwise, non-retryably, before a
// single byte reaches the internal service; and no byte of an internal answer in anything a tenant sees.

const MARKER = `INTERNAL-${randomUUID()}`;
const XML = `<?xml version="1.0"?><ListBucketResult><Name>freight</Name><Key>${MARKER}</Key></ListBucketResult>`;
const taskQueue = `sec-ssrf-${process.pid}`;

let internal: Server;
let redirector: Server;
let leaky: Server;
const port = { internal: 0, redirector: 0, leaky: 0 };
let internalHits = 0;
let policy: OutboundPolicy;
let t: TestApp;
let checked: TestApp;
let engineer: string;
let tenantId: string;
let worker: { stop(): Promise<void> } | undefined;
const workerLog: string[] = [];

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const lookup: HostLookup = async (host) => {
  const table: Record<string, string[]> = {
    'affinity.official.test': ['127.0.0.1'], 'attio.official.test': ['::ffff:127.0.0.1'], localhost: ['127.0.0.1', '::1'],
  };
  return (table[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

beforeAll(async () => {
  internal = createServer((_req, res) => {
    internalHits += 1;
    res.writeHead(400, { 'content-type': 'application/xml' }).end(XML);
  });
  redirector = createServer((req, res) => res.writeHead(302, { location: `http://127.0.0.1:${port.internal}${req.url ?? '/'}` }).end());
  leaky = createServer((_req, res) => res.writeHead(400, { 'content-type': 'application/xml' }).end(XML));
  port.internal = await listen(internal);
  port.redirector = await listen(redirector);
  port.leaky = await listen(leaky);

  // The vendors' APIs, as far as this test is concerned, live at names that resolve to loopback.
  policy = createOutboundPolicy({
    allowHosts: parseAllowHosts(`127.0.0.1:${port.redirector},127.0.0.1:${port.leaky}`),
    officialBaseUrls: { ...OFFICIAL_BASE_URLS, affinity: [`http://affinity.official.test:${port.internal}`], attio: [`http://attio.official.test:${port.internal}`] },
  });
  const base = await createTestApp();
  // Jobs are created unchecked here, so the worker's own refusals are what these tests see; `checked` is the
  // same API with the connection check at job creation, which refuses such connections before any job exists.
  t = await createTestApp({ outbound: policy, config: { temporal: { ...base.ctx.config.temporal, taskQueue } }, checkConnection: null });
  checked = await createTestApp({ outbound: policy, config: { temporal: { ...base.ctx.config.temporal, taskQueue } } });
  const tenant = await createTenant(t);
  tenantId = tenant.id;
  engineer = (await createKey(t, tenant.id, 'engineer')).key;

  const ctx = t.ctx;
  const logger = createLogger({ level: 'debug', name: 'ssrf-worker', destination: { write: (l: string) => void workerLog.push(l) } });
  const connection = await NativeConnection.connect(await temporalConnectionOptions(ctx.config.temporal));
  const w = await Worker.create({
    connection, namespace: tenant.namespace, taskQueue, workflowBundle: await testBundle(ctx), shutdownGraceTime: '2s', ...WORKER_TUNING,
    activities: createActivities({
      sql: ctx.sql, s3: ctx.s3, logger,
      credentials: createConnectionService({ sql: ctx.sql, secretBox: createSecretBox(ctx.config.encryptionKeys) }).getCredentials,
      budgets: createBudgetRegistry(),
      outbound: { policy, dispatcher: createOutboundDispatcher({ policy, lookup, logger }) },
    }),
  });
  const running = w.run();
  worker = {
    async stop() {
      w.shutdown();
      await running;
      await connection.close();
    },
  };
});

afterAll(async () => {
  await worker?.stop();
  for (const s of [internal, redirector, leaky]) {
    s?.closeAllConnections();
    await new Promise((resolve) => s?.close(resolve));
  }
  if (t) saveLogs(t, 'ssrf');
});

async function connect(type: 'affinity' | 'attio', baseUrl: string, app = t) {
  return send(app, 'POST', '/v1/connections', { token: engineer, body: JSON.stringify({ name: `${type} ${baseUrl.slice(0, 40)}`, type, baseUrl, credentials: { apiKey: 'k-ssrf' } }) });
}

async function connectionId(type: 'affinity' | 'attio', baseUrl: string, app = t): Promise<string> {
  const a = await connect(type, baseUrl, app);
  expect(a.status, a.label).toBe(201);
  return (JSON.parse(a.text) as { id: string }).id;
}

/** The connection check at job creation refuses the job (422) for its source's `reachable` check. */
async function expectRefusedAtCreation(sourceConnectionId: string, targetConnectionId: string): Promise<void> {
  const refused = await send(checked, 'POST', '/v1/jobs', { token: engineer, body: JSON.stringify({ sourceConnectionId, targetConnectionId }) });
  expect(refused.status, refused.label).toBe(422);
  const error = (JSON.parse(refused.text) as { error: { code: string; details: { source?: { failed: string[] } } } }).error;
  expect(error).toMatchObject({ code: 'connection_check_failed', details: { source: { failed: ['reachable'] } } });
  expect(refused.text).not.toContain(MARKER);
}

async function runJob(sourceConnectionId: string, targetConnectionId: string): Promise<{ id: string; status: string; error: string | null }> {
  const created = await send(t, 'POST', '/v1/jobs', { token: engineer, body: JSON.stringify({ sourceConnectionId, targetConnectionId, batchSize: 10, retryPolicy: { maxAttempts: 3, initialIntervalMs: 100 } }) });
  expect(created.status, created.label).toBe(201);
  const { id } = JSON.parse(created.text) as { id: string };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = JSON.parse((await send(t, 'GET', `/v1/jobs/${id}`, { token: engineer })).text) as { id: string; status: string; error: string | null };
    if (TERMINAL.includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Everything a tenant can read about a job (API, report, CSVs, event log) and every S3 object under its prefix. */
async function tenantVisible(jobId: string): Promise<string> {
  const texts: string[] = [];
  for (const p of [`/v1/jobs/${jobId}`, `/v1/jobs/${jobId}/batches`, `/v1/jobs/${jobId}/records?limit=1000`, `/v1/jobs/${jobId}/report`,
    `/v1/jobs/${jobId}/report.csv`, `/v1/jobs/${jobId}/records.csv`, `/v1/jobs/${jobId}/artifacts`, `/v1/jobs/${jobId}/events?lastEventId=0`, '/v1/jobs', '/v1/audit']) {
    const a = await send(t, 'GET', p, { token: engineer });
    expect(a.status, a.label).toBe(200);
    texts.push(a.text);
  }
  const s3 = t.ctx.s3;
  const list = async (): Promise<string[]> => {
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${tenantKey(tenantId)}/jobs/${jobId}/` }));
    return (listed.Contents ?? []).map((o) => o.Key as string);
  };
  // The workflow writes the report after it settles the job's status: a busy machine can show the gap.
  await expect.poll(async () => (await list()).some((k) => k.endsWith('report.json')), { timeout: 60_000, interval: 250 }).toBe(true);
  const keys = await list();
  for (const key of keys) {
    const got = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    texts.push((bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8'));
  }
  return texts.join('\n');
}

describe('SSRF at connection time (names and literal addresses decide)', () => {
  const refused: Array<['affinity' | 'attio', string]> = [
    ['affinity', 'http://127.0.0.1:9000/freight/tenants'],
    ['affinity', 'http://localhost:4010'],
    ['affinity', 'http://[::1]:4010'],
    ['attio', 'http://[::ffff:127.0.0.1]:4020'],
    ['attio', 'http://[::ffff:7f00:1]'],
    ['affinity', 'http://2130706433:4010'],
    ['affinity', 'http://0177.0.0.1:4010'],
    ['affinity', 'http://0x7f000001:4010'],
    ['affinity', 'http://127.1:4010'],
    ['attio', 'http://0.0.0.0:4020'],
    ['attio', 'http://169.254.169.254/latest/meta-data/iam'],
    ['attio', 'http://metadata.google.internal/computeMetadata/v1'],
    ['attio', 'http://10.0.0.5:7233'],
    ['attio', 'http://172.16.0.1'],
    ['attio', 'http://192.168.1.10:5432'],
    ['attio', 'http://100.64.0.1'],
    ['attio', 'http://[fe80::1]'],
    ['attio', 'http://[fd00::1]'],
    ['attio', 'http://224.0.0.1'],
    ['affinity', 'https://api.affinity.co.attacker.example'],
    ['affinity', 'http://api.affinity.co'],
    ['affinity', 'http://attio.official.test'],
    ['attio', 'https://api.affinity.co'],
    // The allow-listed sandboxes, on another port.
    ['affinity', 'http://127.0.0.1:1'],
  ];

  it.each(refused)('%s %s → 400 validation_failed, nothing stored', async (type, baseUrl) => {
    const before = JSON.parse((await send(t, 'GET', '/v1/connections', { token: engineer })).text) as { data: unknown[] };
    const a = await connect(type, baseUrl);
    expectError(a, 400, 'validation_failed');
    expect(a.text).toContain('baseUrl');
    const after = JSON.parse((await send(t, 'GET', '/v1/connections', { token: engineer })).text) as { data: unknown[] };
    expect(after.data.length).toBe(before.data.length);
    expect(internalHits).toBe(0);
  });

  it('admits the official base URL of the type and the allow-listed sandboxes', async () => {
    await connectionId('affinity', `http://affinity.official.test:${port.internal}/`);
    await connectionId('attio', `http://127.0.0.1:${port.leaky}/any/path`);
    // Another spelling of an allow-listed address is refused too: the document's pattern names the canonical one.
    expectError(await connect('affinity', `http://2130706433:${port.redirector}`), 400, 'validation_failed');
  });

  it('declares the same rule in the API document: the baseUrl pattern of each type', async () => {
    const doc = JSON.parse((await send(t, 'GET', '/openapi.json')).text) as { components: { schemas: Record<string, { properties: { baseUrl: { pattern: string } } }> } };
    const pattern = new RegExp(doc.components.schemas.CreateAffinityConnectionRequest?.properties.baseUrl.pattern ?? 'x');
    expect(pattern.test(`http://127.0.0.1:${port.redirector}`)).toBe(true);
    for (const [, url] of refused) expect(pattern.test(url), url).toBe(false);
  });
});

describe('SSRF at run time (what only resolution, redirects or a changed allow-list reveal)', () => {
  it('a vendor name that resolves to loopback: the job fails non-retryably, the internal service never called', async () => {
    const job = await runJob(
      await connectionId('affinity', `http://affinity.official.test:${port.internal}`),
      await connectionId('attio', `http://attio.official.test:${port.internal}`),
    );
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/^outbound_refused: preparing the job: reading the source fields: Affinity GET \/\S+: refused by the outbound policy: affinity\.official\.test resolves to a loopback address$/);
    expect(internalHits).toBe(0);
    const batches = JSON.parse((await send(t, 'GET', `/v1/jobs/${job.id}/batches`, { token: engineer })).text) as { data: Array<{ attempts: number }> };
    expect(batches.data.every((b) => b.attempts <= 1)).toBe(true);
    expect(await tenantVisible(job.id)).not.toContain(MARKER);
    // The operator's log names the address that was refused.
    expect(workerLog.join('')).toMatch(/"host":"affinity\.official\.test","address":"127\.0\.0\.1","reason":"loopback"/);
  });

  it('an allow-listed host answering 302 to an internal address: not followed, the job fails', async () => {
    const source = await connectionId('affinity', `http://127.0.0.1:${port.redirector}`);
    const target = await connectionId('attio', `http://127.0.0.1:${port.leaky}`);
    await expectRefusedAtCreation(source, target);
    const job = await runJob(source, target);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/^outbound_refused: preparing the job: reading the source fields: Affinity GET \/\S+ → 302: redirect not followed \(outbound policy\)$/);
    expect(internalHits).toBe(0);
    const visible = await tenantVisible(job.id);
    expect(visible).not.toContain(MARKER);
    expect(visible).not.toContain(`127.0.0.1:${port.internal}`);
  });

  it('an allowed host answering another service’s XML: connector, operation and status only; the body in the operator log', async () => {
    const job = await runJob(
      await connectionId('affinity', `http://127.0.0.1:${port.leaky}/freight/tenants`),
      await connectionId('attio', `http://127.0.0.1:${port.leaky}`),
    );
    expect(job.status).toBe('failed');
    // A source-side 400 names the source (the "validation: preparing the target: Affinity GET …").
    expect(job.error).toMatch(/^validation: preparing the job: reading the source fields: Affinity GET \/\S+ → 400: non-JSON response body \(\d+ bytes, not shown\)$/);
    expect(await tenantVisible(job.id)).not.toContain(MARKER);
    expect(workerLog.join('')).toContain(MARKER);
  });

  it('a connection stored under a wider allow-list is refused once the operator narrows it', async () => {
    // Created through an app with the test stack's own allow-list (127.0.0.1:*), then run by the narrow worker.
    const wide = await createTestApp();
    const stale = await connectionId('affinity', `http://127.0.0.1:${port.internal}/freight`, wide);
    const target = await connectionId('attio', `http://127.0.0.1:${port.leaky}`);
    await expectRefusedAtCreation(stale, target);
    const job = await runJob(stale, target);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/^outbound_refused: preparing the job: Affinity connection \S+: refused by the outbound policy: base URL must be the official Affinity API/);
    expect(internalHits).toBe(0);
    expect(await tenantVisible(job.id)).not.toContain(MARKER);
  });
});
