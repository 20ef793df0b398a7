import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { Context } from '@temporalio/activity';
import type { S3Context } from '../../shared/s3.ts';
import { batchIdFor } from '../../workflows/migration-job/state.ts';
import { deleteQuietly, putNdjson, stagedSourceKey } from './archive.ts';
import type { ExtractBatchInput, ExtractBatchResult } from './contract.ts';
import { activityLog, throughDatabaseOutages } from './database-outage.ts';
import { attemptDeadline, configFailure, toActivityFailure } from './failures.ts';
import { withHeartbeatTimer } from './heartbeat-timer.ts';
import type { JobConnectorFactory } from './job-connectors.ts';
import type { JobRow, JobStore } from './job-store.ts';
import type { SourceRow } from './source-rows.ts';
import type { SourceReadStore } from './delta/source-reads.ts';

export interface ExtractDeps {
  store: JobStore;
  s3: S3Context;
  connectors: JobConnectorFactory;
  /** When each job object's read began (delta change filters); absent: every read is whole. */
  sourceReads?: SourceReadStore;
  /** Heartbeat timer period (tests shorten it). */
  heartbeatEveryMs?: number;
}

/**
 * Reads one source page and stages it in S3 as the batch's source file (claim check: only the
 * batch id, count and next cursor return to the workflow). Idempotent: a repeated call for the same
 * sequence number returns what the first one staged, so a retry never reads a different page.
 */
export function createExtractBatch(deps: ExtractDeps) {
  return async function extractBatch(input: ExtractBatchInput): Promise<ExtractBatchResult> {
    // A page under a source's real limits (Affinity: 1 + batchSize calls at 900/min, shared by every
    // job on the key) can take minutes: the timer keeps a live attempt from being timed out meanwhile.
    const ctx = Context.current();
    return withHeartbeatTimer(ctx, deps.heartbeatEveryMs, async () => {
      try {
        // A staged page is found again by its batch row, so running the read again is harmless.
        return await throughDatabaseOutages(() => extract(input), {
          probe: () => deps.store.ping(), signal: ctx.cancellationSignal, deadline: () => attemptDeadline(ctx.info), log: activityLog(ctx),
        });
      } catch (err) {
        throw toActivityFailure(err);
      }
    });
  };

  /**
   * At an object's first page (before its read), when this job began reading it; for a delta whose
   * pair can filter this object at the source, the instant to ask for changes since (kept with the
   * job, so a retried page and a chain of deltas each filter from the right place). Later pages follow
   * the source's cursor, which carries the filter.
   */
  async function changeFilter(input: ExtractBatchInput, job: JobRow, filterable: boolean): Promise<Date | null> {
    if (!deps.sourceReads || input.cursor !== null || job.kind === 'undo') return null;
    const read = await deps.sourceReads.begin(input, { object: input.object, follows: job.options.delta?.follows ?? null, filterable });
    return read.since ? new Date(read.since) : null;
  }

  async function extract(input: ExtractBatchInput): Promise<ExtractBatchResult> {
    const batchId = batchIdFor(input.object, input.seq);
    const existing = await deps.store.getBatch(input, batchId);
    if (existing?.source_key) return { batchId, count: existing.record_count, nextCursor: existing.next_cursor };
    const job = await deps.store.getJob(input);
    if (!job) throw configFailure(`job ${input.jobId} not found`);
    const { runtime } = await deps.connectors.forJob(job);
    const ctx = Context.current();
    const signal = ctx.cancellationSignal;
    setMaxListeners(0, signal);
    const filterable = (runtime.changeFilters?.includes(input.object) ?? false) && job.options.delta?.sourceFilter !== 'off';
    const changedSince = await changeFilter(input, job, filterable);
    const page = await runtime.readPage(input.object, input.cursor, { pageSize: input.batchSize, signal, ...(changedSince ? { changedSince } : {}) });
    const rows: SourceRow[] = [
      ...page.records.map((record): SourceRow => ({ t: 'record', record })),
      ...page.skipped.map((skipped): SourceRow => ({ t: 'skipped', skipped })),
    ];
    const sourceKey = stagedSourceKey(input, batchId, ctx.info.attempt, randomUUID().slice(0, 8));
    if (rows.length > 0) await putNdjson(deps.s3, sourceKey, rows, { 'freight-batch': batchId });
    // The first attempt to record the batch wins; the load reads the key recorded in PostgreSQL.
    const row = await deps.store.recordExtracted(input, {
      id: batchId, object: input.object, seq: input.seq, cursor: input.cursor, nextCursor: page.nextCursor,
      count: rows.length, sourceKey,
    });
    if (row.source_key !== sourceKey && rows.length > 0) await deleteQuietly(deps.s3, sourceKey);
    return { batchId, count: row.record_count, nextCursor: row.next_cursor };
  }
}
