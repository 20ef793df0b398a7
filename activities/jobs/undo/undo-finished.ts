import type { TransactionSql } from '../../../shared/db/client.ts';
import { enqueueWebhookEvent } from '../../../shared/webhooks/outbox.ts';
import type { JobRef } from '../contract.ts';

/**
 * The `undo.finished` webhook event, when an undo job settles (in the transaction that settles it,
 * so the event exists exactly when the status does). `jobId` is the job that was undone, `undoJobId`
 * the undo itself; the counts are its record log's actions. Nothing for a migration job.
 */
export async function announceUndoFinished(tx: TransactionSql, ref: JobRef, status: string): Promise<void> {
  const [job] = await tx<{ kind: string; undo_of: string | null; options: { undo?: { dryRun?: boolean; force?: boolean } } }[]>`
    select kind, undo_of, options from freight.jobs where id = ${ref.jobId}`;
  if (job?.kind !== 'undo' || !job.undo_of) return;
  const counts = await tx<{ action: string; n: number }[]>`
    select coalesce(action, status) as action, count(*)::int as n from freight.job_records where job_id = ${ref.jobId} group by 1`;
  await enqueueWebhookEvent(tx, ref.tenantId, {
    type: 'undo.finished',
    data: {
      jobId: job.undo_of, undoJobId: ref.jobId, status, dryRun: job.options.undo?.dryRun ?? false, force: job.options.undo?.force ?? false,
      actions: Object.fromEntries(counts.map((c) => [c.action, c.n])),
    },
  });
}
