import { GetObjectCommand } from '@aws-sdk/client-s3';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { putObject, tenantKey, type S3Context } from '../../shared/s3.ts';
import type { JobRef } from './contract.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Where a batch's objects live: under the tenant prefix, one folder per job and batch. */
export function batchKey(ref: JobRef, batchId: string, file: 'source.ndjson.gz' | 'archive.ndjson.gz'): string {
  return tenantKey(ref.tenantId, 'jobs', ref.jobId, 'batches', batchId, file);
}

/** Writes values as gzipped NDJSON (one JSON document per line), SSE always on. */
export async function putNdjson(s3: S3Context, key: string, rows: readonly unknown[], metadata: Record<string, string> = {}): Promise<void> {
  const body = await gzipAsync(Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '')));
  await putObject(s3, { Key: key, Body: body, ContentType: 'application/x-ndjson', ContentEncoding: 'gzip', Metadata: metadata });
}

export async function getNdjson<T>(s3: S3Context, key: string): Promise<T[]> {
  const res = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  if (!res.Body) return [];
  const text = (await gunzipAsync(Buffer.from(await res.Body.transformToByteArray()))).toString('utf8');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as T);
}
