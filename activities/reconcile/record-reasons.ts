import type { TransactionSql } from '../../shared/db/client.ts';
import type { Difference } from '../../shared/reconcile/reconcile-model.ts';

interface LogRow {
  object: string;
  source_id: string;
  status: string;
  error_kind: string | null;
  error_message: string | null;
}

/** `object:sourceId` of the records the job logged as skipped (absent from the target on purpose). */
export async function skippedKeys(tx: TransactionSql, jobId: string): Promise<Set<string>> {
  const rows = await tx<{ object: string; source_id: string }[]>`
    select object, source_id from freight.job_records where job_id = ${jobId} and status = 'skipped'`;
  return new Set(rows.map((r) => `${r.object}:${r.source_id}`));
}

/**
 * A missing record's reason from the record log: its outcome, error kind and message (a poison
 * record: `failed: validation: …`); one that is not in the log was never read by the job; one the
 * log holds as written has disappeared from the target since (deleted or merged by a user).
 */
export async function withLogReasons(tx: TransactionSql, jobId: string, differences: Difference[]): Promise<Difference[]> {
  const missing = differences.filter((d) => d.kind === 'missing' && d.sourceId !== null);
  if (missing.length === 0) return differences;
  const rows = await tx<LogRow[]>`
    select r.object, r.source_id, r.status, r.error_kind, r.error_message
    from freight.job_records r
    join unnest(${missing.map((d) => d.object)}::text[], ${missing.map((d) => d.sourceId as string)}::text[]) as k(object, source_id)
      on r.object = k.object and r.source_id = k.source_id
    where r.job_id = ${jobId}`;
  const logged = new Map(rows.map((r) => [`${r.object}:${r.source_id}`, r]));
  return differences.map((d) => {
    if (d.kind !== 'missing' || d.sourceId === null) return d;
    const row = logged.get(`${d.object}:${d.sourceId}`);
    const reason = !row ? 'not in the record log: the job did not read it (created in the source since?)'
      : row.status === 'succeeded' ? 'logged as succeeded, absent from the target now (deleted or merged there since?)'
        : [row.status, row.error_kind, row.error_message].filter((x) => x).join(': ');
    return { ...d, reason };
  });
}
