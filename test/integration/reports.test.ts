import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportKey } from '../../shared/reports/report-keys.ts';
import {
  asTenant, createEngineTenant, createJob, sandboxControl, startSandboxes, startWorkerProcess, TERMINAL, testTaskQueue, waitForJob,
  type EngineTenant, type Sandboxes, type WorkerProcess,
} from '../helpers/engine.ts';
import { createKey } from './support/app.ts';

const QUEUE = testTaskQueue('reports');
const FAST_RETRIES = { maxAttempts: 4, initialIntervalMs: 100, backoffCoefficient: 2, maximumIntervalMs: 500, nonRetryable: [] };

let sandboxes: Sandboxes;
let e: EngineTenant;
let viewer: string;
let worker: WorkerProcess;

interface Report {
  jobId: string; status: string; counts: Record<string, Record<string, number>>; totals: Record<string, number>; batches: Record<string, number>;
  retries: { total: number; records: number; batches: number }; durationSeconds: number; recordsPerMinute: number;
  failures: { byKind: { kind: string; records: number }[]; byObject: { object: string; records: number }[]; byBatch: { batchId: string; failedRecords: number }[];
    topMessages: { message: string; count: number }[] };
}
interface Artifact { key: string; kind: string; size: number; lastModified: string; url: string; expiresAt: string }

async function s3Text(key: string): Promise<string> {
  const res = await e.t.ctx.s3.client.send(new GetObjectCommand({ Bucket: e.t.ctx.s3.bucket, Key: key }));
  return (await res.Body?.transformToString('utf8')) ?? '';
}

async function s3Report(jobId: string): Promise<Report | undefined> {
  try {
    return JSON.parse(await s3Text(reportKey(e.tenantId, jobId, 'report.json'))) as Report;
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  sandboxes = await startSandboxes({ seed: 'reports', size: 600, poisonRate: 0.02 });
  e = await createEngineTenant(sandboxes, QUEUE);
  viewer = (await createKey(e.t, e.tenantId, 'viewer')).key;
  worker = startWorkerProcess(QUEUE);
});

afterAll(async () => {
  await worker?.kill();
  await sandboxes?.affinity.close();
  await sandboxes?.attio.close();
});

describe('job reports after a real job (600 records, some poison)', () => {
  it('report JSON and CSV match the job, land in S3 at the end, and are listed with working download URLs', { timeout: 300_000 }, async () => {
    const created = await createJob(e, { batchSize: 100, concurrency: 2, retryPolicy: FAST_RETRIES });
    const job = await waitForJob(e, created.id, (j) => TERMINAL.includes(j.status));
    expect(job.status).toBe('completed_with_errors');

    const res = await e.t.call('GET', `/v1/jobs/${job.id}/report`, { token: viewer });
    expect(res.status).toBe(200);
    const report = (await res.json()) as Report;
    expect(report.counts).toEqual(job.counts);
    expect(report.batches).toEqual(job.batches);
    expect(report.status).toBe('completed_with_errors');
    const failed = Object.values(job.counts).reduce((n, c) => n + (c.failed ?? 0), 0);
    expect(failed).toBeGreaterThan(0);
    expect(report.totals.failed).toBe(failed);
    expect(report.failures.byKind.reduce((n, k) => n + k.records, 0)).toBe(failed);
    expect(report.failures.byObject.reduce((n, k) => n + k.records, 0)).toBe(failed);
    expect(report.failures.byBatch.reduce((n, b) => n + b.failedRecords, 0)).toBe(failed);
    expect(report.failures.topMessages.reduce((n, m) => n + m.count, 0)).toBe(failed);
    const [sums] = await asTenant(e, (tx) => tx<{ records: number; batches: number }[]>`
      select (select coalesce(sum(attempts - 1), 0) from freight.job_records where job_id = ${job.id})::int as records,
             (select coalesce(sum(attempts - 1), 0) from freight.job_batches where job_id = ${job.id})::int as batches`);
    expect(report.retries).toEqual({ records: sums?.records, batches: sums?.batches, total: (sums?.records ?? 0) + (sums?.batches ?? 0) });
    expect(report.durationSeconds).toBeGreaterThan(0);
    expect(report.recordsPerMinute).toBeGreaterThan(0);

    const csv = await e.t.call('GET', `/v1/jobs/${job.id}/report.csv`, { token: viewer });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="job-${job.id}-report.csv"`);
    const rows = parse(await csv.text(), { columns: true }) as Record<string, string>[];
    for (const [object, counts] of Object.entries(job.counts)) {
      for (const [status, n] of Object.entries(counts)) {
        expect(rows.find((r) => r.section === 'object' && r.key === object && r.metric === status)?.value, `${object}.${status}`).toBe(String(n));
      }
    }

    // Written by the workflow's last activity, right after the terminal status.
    await expect.poll(() => s3Report(job.id), { timeout: 30_000, interval: 250 }).toMatchObject({ status: 'completed_with_errors', counts: job.counts });
    const head = await e.t.ctx.s3.client.send(new HeadObjectCommand({ Bucket: e.t.ctx.s3.bucket, Key: reportKey(e.tenantId, job.id, 'report.csv') }));
    expect(head.ServerSideEncryption).toBe('AES256');

    const listed = await e.t.call('GET', `/v1/jobs/${job.id}/artifacts`, { token: viewer });
    expect(listed.status).toBe(200);
    const artifacts = ((await listed.json()) as { data: Artifact[] }).data;
    const [batches] = await asTenant(e, (tx) => tx<{ n: number }[]>`
      select count(*)::int as n from freight.job_batches where job_id = ${job.id} and result_key is not null`);
    expect(artifacts.filter((a) => a.kind === 'batch_archive')).toHaveLength(batches?.n ?? -1);
    const json = artifacts.find((a) => a.kind === 'report_json');
    const csvArtifact = artifacts.find((a) => a.kind === 'report_csv');
    expect(json && csvArtifact).toBeTruthy();
    for (const a of artifacts) {
      expect(a.key.startsWith(`tenants/${e.tenantId}/jobs/${job.id}/`)).toBe(true);
      expect(Date.parse(a.expiresAt) - Date.now()).toBeGreaterThan(200_000);
      expect(a.size).toBeGreaterThan(0);
    }
    // The presigned URLs work without credentials and serve exactly what is stored.
    const downloaded = await fetch(json?.url ?? '');
    expect(downloaded.status).toBe(200);
    expect(await downloaded.text()).toBe(await s3Text(json?.key ?? ''));
    const archive = artifacts.find((a) => a.kind === 'batch_archive');
    // Stored gzipped with Content-Encoding: gzip, so fetch hands back the NDJSON itself.
    const fetched = await fetch(archive?.url ?? '');
    expect(fetched.headers.get('content-length')).toBe(String(archive?.size));
    const raw = await e.t.ctx.s3.client.send(new GetObjectCommand({ Bucket: e.t.ctx.s3.bucket, Key: archive?.key ?? '' }));
    expect(await fetched.text()).toBe(gunzipSync(Buffer.from((await raw.Body?.transformToByteArray()) ?? [])).toString('utf8'));
    expect(await fetch((json?.url ?? '').replace(/X-Amz-Signature=[0-9a-f]+/, 'X-Amz-Signature=00')).then((r) => r.status)).toBe(403);

    // A retry that changes the outcome rewrites the stored report (same keys).
    await sandboxControl(`${sandboxes.attio.url}/__sandbox/poison`, 'PATCH', { enabled: false });
    const retried = await e.t.call('POST', `/v1/jobs/${job.id}/retry`, { token: e.key, body: { scope: 'failed-records' } });
    expect(retried.status).toBe(200);
    const done = await waitForJob(e, job.id, (j) => j.status === 'completed');
    await expect.poll(() => s3Report(job.id), { timeout: 30_000, interval: 250 }).toMatchObject({ status: 'completed', counts: done.counts });
  });
});
