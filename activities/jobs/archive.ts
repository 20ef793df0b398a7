import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { putObject, tenantKey, type S3Context } from '../../shared/s3.ts';
import type { JobRef } from './contract.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Where a batch's objects live: under the tenant prefix, one folder per job and batch. */
export function batchKey(ref: JobRef, batchId: string, file: string): string {
  return tenantKey(ref.tenantId, 'jobs', ref.jobId, 'batches', batchId, file);
}

/**
 * One staged source page per extract attempt (`source-<attempt>-<random>.ndjson.gz`): attempts of one
 * batch can overlap (a timed-out one still running beside its retry), and a shared key would let the
 * one that loses the race overwrite the page the winner recorded, under the load's offsets.
 */
export function stagedSourceKey(ref: JobRef, batchId: string, attempt: number, nonce: string): string {
  return batchKey(ref, batchId, `source-${attempt}-${nonce}.ndjson.gz`);
}

/** Best effort: a leftover object costs storage, not correctness. */
export async function deleteQuietly(s3: S3Context, key: string): Promise<void> {
  await s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: key })).catch(() => undefined);
}

/** Writes values as gzipped NDJSON (one JSON document per line), SSE always on. */
export async function putNdjson(s3: S3Context, key: string, rows: readonly unknown[], metadata: Record<string, string> = {}): Promise<void> {
  const body = await gzipAsync(Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '')));
  await whileUnreachable(() => putObject(s3, { Key: key, Body: body, ContentType: 'application/x-ndjson', ContentEncoding: 'gzip', Metadata: metadata }));
}

export async function getNdjson<T>(s3: S3Context, key: string): Promise<T[]> {
  return whileUnreachable(async () => {
    const res = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    if (!res.Body) return [];
    const text = (await gunzipAsync(Buffer.from(await res.Body.transformToByteArray()))).toString('utf8');
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as T);
  });
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** S3 itself is down or failing (not: the object or the request is wrong). */
export function isS3Unreachable(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown; $metadata?: { httpStatusCode?: number }; cause?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)) return true;
  if (e.name === 'TimeoutError') return true;
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  return e.cause !== undefined && e.cause !== err && isS3Unreachable(e.cause);
}

/**
 * Freight's own storage being briefly away (a restart, a failover) is not the migration's failure:
 * it is waited out inside the activity, for up to `budgetMs`, instead of spending the job's retry
 * policy (whose attempts are meant for the source and target APIs) — five quick attempts would
 * otherwise be gone in 15 s and fail the batch, or the whole job when it hits a source read.
 * The batch activities heartbeat from a timer meanwhile; past the budget the error goes to
 * Temporal's retry as before.
 */
export async function whileUnreachable<T>(op: () => Promise<T>, budgetMs = 20_000): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let delay = 250; ; delay = Math.min(delay * 2, 4_000)) {
    try {
      return await op();
    } catch (err) {
      if (!isS3Unreachable(err) || Date.now() + delay > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
