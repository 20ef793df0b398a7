import { randomUUID } from 'node:crypto';
import type { Sql } from '../../shared/db/client.ts';
import { withTenant } from '../../shared/db/scope.ts';
import type { S3Context } from '../../shared/s3.ts';
import type { ImageValues, TargetRef, WriteImage } from '../pairs/pair.ts';
import { batchKey, putNdjson } from './archive.ts';
import type { JobRef } from './contract.ts';

/** One line of an image file in S3 (before-images: `before`; after-images: `after`). */
export interface ImageLine {
  sourceId: string;
  target: TargetRef | null;
  before?: ImageValues | null;
  after?: ImageValues | null;
}

export interface AfterImage {
  sourceId: string;
  target: TargetRef;
  after: ImageValues | null;
}

/**
 * Before/after images of a job's writes (undo, issue 17). The images are gzipped NDJSON next to the
 * batch archive (`…/batches/<batch>/images/{before,after}-<nonce>.ndjson.gz`, SSE like every
 * object); PostgreSQL's job_write_images indexes them per source record. Before-images are stored
 * ahead of the writes and the first one stays (a retried write must not take the job's own earlier
 * write for the state before it); targets and after-images follow each write.
 */
export function createWriteImages(deps: { sql: Sql; s3: S3Context }) {
  const fileKey = (ref: JobRef, batchId: string, kind: 'before' | 'after') =>
    batchKey(ref, batchId, `images/${kind}-${randomUUID().slice(0, 12)}.ndjson.gz`);

  return {
    async recordBefore(ref: JobRef, object: string, batchId: string, images: ReadonlyArray<{ sourceId: string; image: WriteImage }>): Promise<void> {
      if (images.length === 0) return;
      const key = fileKey(ref, batchId, 'before');
      await putNdjson(deps.s3, key, images.map(({ sourceId, image }): ImageLine => ({ sourceId, target: image.target, before: image.before })));
      const rows = images.map(({ sourceId, image }) => ({
        tenant_id: ref.tenantId, job_id: ref.jobId, object, source_id: sourceId, batch_id: batchId,
        target_object: image.target?.object ?? null, target_id: image.target?.id ?? null, created: image.before === null, before_key: key,
      }));
      await withTenant(deps.sql, ref.tenantId, (tx) => tx`
        insert into freight.job_write_images ${tx(rows, 'tenant_id', 'job_id', 'object', 'source_id', 'batch_id', 'target_object', 'target_id', 'created', 'before_key')}
        on conflict (tenant_id, job_id, object, source_id) do nothing`);
    },

    async recordAfter(ref: JobRef, object: string, batchId: string, afters: readonly AfterImage[]): Promise<void> {
      if (afters.length === 0) return;
      const key = fileKey(ref, batchId, 'after');
      await putNdjson(deps.s3, key, afters.map((a): ImageLine => ({ sourceId: a.sourceId, target: a.target, after: a.after })));
      await withTenant(deps.sql, ref.tenantId, (tx) => tx`
        update freight.job_write_images i set target_object = a.target_object, target_id = a.target_id, after_key = ${key}
        from unnest(${afters.map((a) => a.sourceId)}::text[], ${afters.map((a) => a.target.object)}::text[], ${afters.map((a) => a.target.id)}::text[])
          as a(source_id, target_object, target_id)
        where i.tenant_id = ${ref.tenantId} and i.job_id = ${ref.jobId} and i.object = ${object} and i.source_id = a.source_id`);
    },
  };
}

export type WriteImages = ReturnType<typeof createWriteImages>;
