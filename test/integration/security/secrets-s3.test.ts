import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../infra/dev-stack/paths.ts';
import { tenantKey } from '../../../shared/s3.ts';
import {
  createEngineTenant, createJob, startSandboxes, startWorkerProcess, TERMINAL, testTaskQueue, waitForJob,
  type EngineTenant, type Sandboxes, type WorkerProcess,
} from '../../helpers/engine.ts';
import { send } from './support/http.ts';
import { saveLogs } from './support/world.ts';

// A real (small) job with connections whose credentials are recognizable strings — the sandboxes
// accept exactly those — run by the production worker process: afterwards no object the job left
// under the tenant's prefix in the bucket, no API response about it, no log line of the app or of
// the worker contains either credential.

const QUEUE = testTaskQueue('sec-s3');
const AFFINITY_SECRET = `sec-affinity-${randomUUID()}`;
const ATTIO_SECRET = `sec-attio-${randomUUID()}`;
/** Revoked by the Attio sandbox once its job exists: connector errors (logged, recorded, reported) must not quote it. */
const WRONG_SECRET = `sec-wrong-${randomUUID()}`;
const SECRETS = [AFFINITY_SECRET, ATTIO_SECRET, WRONG_SECRET];

let sandboxes: Sandboxes;
let e: EngineTenant;
let worker: WorkerProcess;

beforeAll(async () => {
  sandboxes = await startSandboxes({ seed: 'sec-s3', size: 80, apiKeys: [AFFINITY_SECRET] }, { tokens: [ATTIO_SECRET] });
  e = await createEngineTenant(sandboxes, QUEUE);
  worker = startWorkerProcess(QUEUE);
});

afterAll(async () => {
  await worker.kill();
  await sandboxes.affinity.close();
  await sandboxes.attio.close();
});

async function objectText(key: string): Promise<string> {
  const got = await e.t.ctx.s3.client.send(new GetObjectCommand({ Bucket: e.t.ctx.s3.bucket, Key: key }));
  const bytes = Buffer.from(await got.Body!.transformToByteArray());
  // Archives are gzipped: scan what they hold, not their compressed bytes.
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
}

async function scanTenant(): Promise<number> {
  const prefix = `${tenantKey(e.tenantId)}/`;
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await e.t.ctx.s3.client.send(new ListObjectsV2Command({ Bucket: e.t.ctx.s3.bucket, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key as string));
    token = page.NextContinuationToken;
  } while (token);
  for (const key of keys) {
    const text = await objectText(key);
    for (const s of SECRETS) expect(text, key).not.toContain(s);
  }
  return keys.length;
}

async function scanResponses(jobId: string): Promise<void> {
  for (const p of [`/v1/jobs/${jobId}?live=true`, `/v1/jobs/${jobId}/batches`, `/v1/jobs/${jobId}/records?limit=1000`, `/v1/jobs/${jobId}/records?status=failed`, '/v1/connections', '/v1/jobs']) {
    const a = await send(e.t, 'GET', p, { token: e.key });
    expect(a.status, a.label).toBe(200);
    for (const s of SECRETS) expect(a.text, a.label).not.toContain(s);
  }
}

describe('connection secrets after a real job run', () => {
  it('are in no S3 object, no response and no log line', async () => {
    expect(sandboxes.affinity.apiKey).toBe(AFFINITY_SECRET);
    const created = await createJob(e, { batchSize: 50, concurrency: 2 });
    const job = await waitForJob(e, created.id, (j) => TERMINAL.includes(j.status), 180_000);
    expect(job.status).toBe('completed');

    expect(await scanTenant()).toBeGreaterThan(0);
    await scanResponses(job.id);

    // The same with an Attio token the server refuses: every load fails with an auth error. The token is
    // valid while the job is created (job creation checks the connection and refuses a rejected token) and
    // revoked right after, before any batch loads — a token revoked mid-job.
    sandboxes.attio.tokenRegistry.change({ add: [WRONG_SECRET] });
    const res = await e.t.call('POST', '/v1/connections', {
      token: e.key, body: { name: 'attio (wrong token)', type: 'attio', baseUrl: sandboxes.attio.url, credentials: { apiKey: WRONG_SECRET } },
    });
    expect(res.status).toBe(201);
    const wrongId = ((await res.json()) as { id: string }).id;
    const failing = await createJob(e, { targetConnectionId: wrongId, objects: ['organizations'], batchSize: 50, retryPolicy: { maxAttempts: 1 } });
    sandboxes.attio.tokenRegistry.change({ revoke: [WRONG_SECRET] });
    const failed = await waitForJob(e, failing.id, (j) => TERMINAL.includes(j.status), 180_000);
    expect(failed.status).not.toBe('completed');
    // The refusal was recorded (dead letters or the job's own error), so the scans below read real connector error text.
    const dead = await send(e.t, 'GET', `/v1/jobs/${failed.id}/records?status=failed`, { token: e.key });
    const detail = await send(e.t, 'GET', `/v1/jobs/${failed.id}`, { token: e.key });
    expect(`${dead.text} ${detail.text}`, detail.label).toMatch(/auth|401|unauthori[sz]ed|credential/i);
    await scanTenant();
    await scanResponses(failed.id);

    await worker.kill();
    const workerLogs = readdirSync(path.join(REPO_ROOT, 'test-artifacts')).filter((f) => f.startsWith('worker-') && f.endsWith(`-${process.pid}.log`));
    expect(workerLogs.length).toBeGreaterThan(0);
    for (const f of workerLogs) {
      const text = readFileSync(path.join(REPO_ROOT, 'test-artifacts', f), 'utf8');
      for (const s of SECRETS) expect(text, f).not.toContain(s);
    }
    const appLogs = saveLogs(e.t, 's3');
    for (const s of SECRETS) expect(appLogs).not.toContain(s);
  });
});
