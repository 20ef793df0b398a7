import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Config } from '../config.ts';
import type { S3Context } from '../s3.ts';
import { ARTIFACT_KINDS, artifactKind, jobPrefix, type ArtifactKind } from './report-keys.ts';

export interface Artifact {
  key: string;
  kind: ArtifactKind;
  size: number;
  lastModified: string;
  /** Presigned GET, valid until `expiresAt`. */
  url: string;
  expiresAt: string;
}

/**
 * A client that only signs URLs, for the endpoint the *caller* reaches (S3_PUBLIC_ENDPOINT when the
 * API talks to S3 over an internal address). Signing needs no network, so it is never "connected".
 */
export function createPresignClient(config: Config['s3'] & { publicEndpoint?: string | undefined }): S3Client {
  const endpoint = config.publicEndpoint ?? config.endpoint;
  return new S3Client({
    region: config.region,
    ...(endpoint ? { endpoint } : {}),
    forcePathStyle: config.forcePathStyle,
    ...(config.accessKeyId && config.secretAccessKey
      ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
      : {}),
  });
}

/** Batch archives, reports and reconciliation files of one job, with short-lived download URLs (ListObjectsV2, every page). */
export async function listArtifacts(deps: { s3: S3Context; presigner: S3Client; ttlSeconds: number; now?: () => number }, tenantId: string, jobId: string): Promise<Artifact[]> {
  const prefix = jobPrefix(tenantId, jobId);
  const found: { key: string; kind: ArtifactKind; size: number; lastModified: Date }[] = [];
  let token: string | undefined;
  do {
    const page = await deps.s3.client.send(new ListObjectsV2Command({ Bucket: deps.s3.bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      const kind = o.Key ? artifactKind(o.Key) : undefined;
      if (o.Key && kind) found.push({ key: o.Key, kind, size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const expiresAt = new Date((deps.now?.() ?? Date.now()) + deps.ttlSeconds * 1000).toISOString();
  // Reports first, then reconciliations, then the batch archives (in key order within a kind).
  const order = (kind: ArtifactKind): number => ARTIFACT_KINDS.indexOf(kind);
  found.sort((a, b) => order(a.kind) - order(b.kind) || a.key.localeCompare(b.key, 'en', { numeric: true }));
  return Promise.all(found.map(async (f) => ({
    key: f.key,
    kind: f.kind,
    size: f.size,
    lastModified: f.lastModified.toISOString(),
    url: await getSignedUrl(deps.presigner, new GetObjectCommand({ Bucket: deps.s3.bucket, Key: f.key }), { expiresIn: deps.ttlSeconds }),
    expiresAt,
  })));
}
