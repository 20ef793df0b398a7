import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutObjectCommand,
  S3Client,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import type { Config } from './config.ts';

export interface S3Context {
  client: S3Client;
  bucket: string;
  sse: Config['s3']['sse'];
  sseKmsKeyId: string | undefined;
}

/** An S3 client for AWS or any S3-compatible endpoint (MinIO in the dev stack). TLS follows the endpoint scheme. */
export function createS3(config: Config['s3']): S3Context {
  const client = new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle,
    ...(config.accessKeyId && config.secretAccessKey
      ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
      : {}),
  });
  return { client, bucket: config.bucket, sse: config.sse, sseKmsKeyId: config.sseKmsKeyId };
}

/** Every object lives under its tenant's prefix, so IAM policies and listings can be scoped per tenant. */
export function tenantKey(tenantId: string, ...parts: string[]): string {
  if (!/^[0-9a-f-]{36}$/.test(tenantId)) throw new Error('tenantKey needs a tenant uuid');
  return ['tenants', tenantId, ...parts.map((p) => p.replace(/^\/+|\/+$/g, ''))].join('/');
}

function sseParams(s3: S3Context): Pick<PutObjectCommandInput, 'ServerSideEncryption' | 'SSEKMSKeyId'> {
  return s3.sse === 'aws:kms' ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: s3.sseKmsKeyId } : { ServerSideEncryption: 'AES256' };
}

/** Puts an object with server-side encryption always requested (never rely on bucket defaults alone). */
export async function putObject(s3: S3Context, input: Omit<PutObjectCommandInput, 'Bucket' | 'ServerSideEncryption' | 'SSEKMSKeyId'>): Promise<void> {
  await s3.client.send(new PutObjectCommand({ ...input, Bucket: s3.bucket, ...sseParams(s3) }));
}

/** Creates the bucket if missing and turns on default encryption. Idempotent. */
export async function ensureBucket(s3: S3Context): Promise<void> {
  try {
    await s3.client.send(new HeadBucketCommand({ Bucket: s3.bucket }));
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 404) throw err;
    try {
      await s3.client.send(new CreateBucketCommand({ Bucket: s3.bucket }));
    } catch (createErr) {
      const name = (createErr as { name?: string }).name;
      if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw createErr;
    }
  }
  const rule = s3.sse === 'aws:kms'
    ? { SSEAlgorithm: 'aws:kms' as const, KMSMasterKeyID: s3.sseKmsKeyId }
    : { SSEAlgorithm: 'AES256' as const };
  const current = await s3.client
    .send(new GetBucketEncryptionCommand({ Bucket: s3.bucket }))
    .catch(() => undefined);
  const currentAlgo = current?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
  if (currentAlgo !== rule.SSEAlgorithm) {
    await s3.client.send(new PutBucketEncryptionCommand({
      Bucket: s3.bucket,
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: rule }] },
    }));
  }
}
