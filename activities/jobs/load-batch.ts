import { setMaxListeners } from 'node:events';
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { mapWithConcurrency } from '../connectors/concurrency.ts';
import { NOT_FOUND } from '../../shared/error-kinds.ts';
import type { S3Context } from '../../shared/s3.ts';
import { getNdjson } from './archive.ts';
import { writeBatchArchive } from './batch-archive.ts';
import { reportChunk } from './batch-metrics.ts';
import type { ActivityMetrics } from '../metrics.ts';
import type { BatchOutcome, LoadBatchInput } from './contract.ts';
import { activityLog, throughDatabaseOutages } from './database-outage.ts';
import { attemptDeadline, configFailure, toActivityFailure } from './failures.ts';
import { QUIET_WARN_MS, startHeartbeatTimer, type HeartbeatTimer } from './heartbeat-timer.ts';
import { createDeltaPass } from './delta/delta-pass.ts';
import type { DeltaStore } from './delta/delta-store.ts';
import { idMapScope, type JobConnectorFactory } from './job-connectors.ts';
import type { JobStore, RecordOutcome } from './job-store.ts';
import type { SchemaCache } from './schema-cache.ts';
import { rowSourceId, type SourceRow } from './source-rows.ts';
import { attemptFromError, recordBase, writeRecord, type WriteAttempt } from './write-record.ts';
import type { AfterImage, WriteImages } from './write-images.ts';
import type { MapOutcome, PairRuntime, WriteImage } from '../pairs/pair.ts';

export interface LoadDeps {
  store: JobStore;
  s3: S3Context;
  connectors: JobConnectorFactory;
  schemas: SchemaCache;
  /** Records written concurrently inside one batch (the token's rate budget paces them). */
  writeConcurrency: number;
  /** Outcomes are flushed to PostgreSQL, and the heartbeat offset advanced, every this many records. */
  flushEvery: number;
  /** Records written and retried, per flushed chunk; absent outside the worker. */
  metrics?: ActivityMetrics;
  /** Heartbeat timer period (tests shorten it). */
  heartbeatEveryMs?: number;
  /** Before/after images of the writes (undo); absent = not kept. */
  images?: WriteImages;
  /** Content hashes and after-images with the id map (delta passes); absent: none kept. */
  delta?: DeltaStore;
}

interface Progress {
  offset: number;
}

/**
 * Loads one batch: source rows from S3 → map → idempotent writes → outcomes to PostgreSQL in bulk →
 * archive to S3. The heartbeat carries the offset up to which outcomes are safely recorded, so a
 * retried attempt (after a crash, a timeout or a 5xx) resumes there; records after it may be
 * written twice, which the target's upserts and the id map make harmless.
 */
export function createLoadBatch(deps: LoadDeps) {
  return async function loadBatch(input: LoadBatchInput): Promise<BatchOutcome> {
    const ctx = Context.current();
    // Every concurrent write listens for cancellation on the same signal.
    setMaxListeners(0, ctx.cancellationSignal);
    // From the first moment (S3 read, schema, references) through budget pauses and 429 waits, the
    // timer repeats the last committed offset: alive means not timed out, and a retry resumes there.
    const beats = startHeartbeatTimer(ctx, deps.heartbeatEveryMs, QUIET_WARN_MS);
    try {
      // A database outage is waited out inside the attempt; the rerun resumes at the last offset
      // this attempt committed (outcomes written before the outage stay written).
      return await throughDatabaseOutages(() => load(input, ctx, beats), {
        probe: () => deps.store.ping(), signal: ctx.cancellationSignal, deadline: () => attemptDeadline(ctx.info), log: activityLog(ctx),
      });
    } catch (err) {
      if (err instanceof CancelledFailure || ctx.cancellationSignal.aborted) throw err instanceof CancelledFailure ? err : new CancelledFailure('batch cancelled');
      throw toActivityFailure(err);
    } finally {
      beats.stop();
    }
  };

  async function load(input: LoadBatchInput, ctx: Context, beats: HeartbeatTimer): Promise<BatchOutcome> {
    beats.phase('reading the batch row');
    const batch = await deps.store.getBatch(input, input.batchId);
    if (!batch?.source_key) throw ApplicationFailure.create({ type: NOT_FOUND, message: `batch ${input.batchId} does not exist`, nonRetryable: true });
    const job = await deps.store.getJob(input);
    if (!job) throw configFailure(`job ${input.jobId} not found`);
    // The references pass rewrites, it does not retry: it is counted apart from attempts.
    const kind = input.mode === 'unresolved-only' ? 'rewrite' : 'attempt';
    await deps.store.startAttempt(input, input.batchId, kind);
    beats.phase('reading the source rows from S3');
    const rows = batch.record_count > 0 ? await getNdjson<SourceRow>(deps.s3, batch.source_key) : [];
    // A full load resumes at the heartbeat offset (an index into the stable source file); a
    // failed-only load needs none: records it already fixed are no longer failed.
    const only = input.mode === 'all' || input.mode === 'unfinished' ? null
      : await deps.store.sourceIdsToRerun(input, input.batchId, input.mode === 'failed-only' ? 'failed' : 'unresolved');
    // A resumed batch skips what an earlier run settled (the record log knows): nothing written is written again.
    const settled = input.mode === 'unfinished' ? await deps.store.settledSourceIds(input, input.batchId) : null;
    const offsets = only === null && settled === null;
    const resumeAt = offsets ? ((beats.details() as Progress | undefined)?.offset ?? 0) : 0;
    beats.phase('building the connectors');
    const connectors = await deps.connectors.forJob(job);
    const { runtime } = connectors;
    const idOf = (row: SourceRow) => rowSourceId(row, (record) => runtime.recordId(record));
    let todo = settled !== null ? rows.filter((row) => !settled.has(idOf(row)))
      : only === null ? rows.slice(resumeAt) : rows.filter((row) => only.has(idOf(row)));

    beats.phase('preparing the target schema');
    const prepared = await deps.schemas.get(job.id, connectors, input.dryRun, ctx.cancellationSignal);
    const records = todo.flatMap((row) => (row.t === 'record' ? [row.record] : []));
    beats.phase('resolving references');
    const resolved = await runtime.resolveReferences(runtime.referencedKeys(records, prepared));
    const mapCtx = runtime.context(prepared, resolved);
    if (input.mode === 'unresolved-only' && only !== null) {
      // A references-pass rewrite that would resolve nothing new is not sent: what it points at was
      // never migrated (an orphaned or merged id), and the record as written stays correct.
      todo = todo.filter((row) => {
        if (row.t !== 'record') return true;
        const logged = only.get(idOf(row));
        return logged === null || logged === undefined || runtime.unresolvedNow(row.record, mapCtx) < logged;
      });
    }

    // Hashes kept for every job of a pair with deltas; a delta's first load also skips what did not change.
    const deltaPass = deps.delta ? createDeltaPass({
      store: deps.delta, runtime, job, ref: input, scope: idMapScope(job), object: batch.object, batchId: input.batchId,
      compare: input.mode === 'all' || input.mode === 'unfinished', readConcurrency: deps.writeConcurrency,
    }) : null;
    const processed = { succeeded: 0, failed: 0, skipped: 0 };
    for (let start = 0; start < todo.length; start += deps.flushEvery) {
      if (ctx.cancellationSignal.aborted) throw new CancelledFailure('batch cancelled');
      const chunk = todo.slice(start, start + deps.flushEvery);
      // Mapping is pure: the whole chunk is mapped first, so the target can look up in bulk what
      // its writes will need (id map, unique claims) before they go out one by one.
      const mapped = chunk.map((row) => (row.t === 'record' ? runtime.map(row.record, mapCtx) : null));
      beats.phase(`chunk at ${start}: delta plan, id map and claims`);
      const delta = deltaPass ? await deltaPass.plan(chunk, mapped, ctx.cancellationSignal) : null;
      if (!input.dryRun && runtime.prepareWrites) {
        const writes = mapped.flatMap((m, i) => (m?.status === 'ok' && !delta?.settled[i] ? [m.write] : []));
        await runtime.prepareWrites(writes, { signal: ctx.cancellationSignal });
      }
      // Undo's before-images of the writes that go out (not those the delta pass settled), stored first.
      const imaging = !input.dryRun && deps.images !== undefined && runtime.readBefore !== undefined;
      beats.phase(`chunk at ${start}: before-images and writes`);
      const unread = imaging ? await keepBeforeImages(input, batch.object, chunk, mapped.map((m, i) => (delta?.settled[i] ? null : m)), idOf, runtime, ctx.cancellationSignal) : new Map<number, unknown>();
      // A fatal error (auth, quota, configuration, cancellation) stops the chunk, but the writes that
      // went through before it — and those in flight, which finish — are logged first: a resumed
      // job skips them instead of writing them again.
      let fatal: { error: unknown } | undefined;
      const settledAttempts = await mapWithConcurrency(chunk, deps.writeConcurrency, async (row, i): Promise<WriteAttempt | undefined> => {
        if (fatal) return undefined;
        try {
          const unwritten = delta?.settled[i];
          if (unwritten) return { done: true as const, outcome: unwritten };
          // No before-image, no write: the read's error is the record's attempt (retried like a failed write).
          if (unread.has(i) && row.t === 'record') {
            return attemptFromError(unread.get(i), recordBase({ record: row.record, object: batch.object, batchId: input.batchId, runtime }), null);
          }
          return row.t === 'skipped'
            ? { done: true as const, outcome: { ...skippedOutcome(row, batch.object, input.batchId), ...(input.dryRun && runtime.preview ? { diffClass: 'skipped' as const } : {}) } }
            : await writeRecord({
              record: row.record, mapped: mapped[i] ?? undefined, object: batch.object, batchId: input.batchId, ctx: mapCtx,
              runtime, dryRun: input.dryRun, signal: ctx.cancellationSignal, rewrite: input.mode === 'unresolved-only', overwrite: delta?.overwrite[i] === true,
            });
        } catch (error) {
          fatal ??= { error };
          return undefined;
        }
      });
      // The delta's view by chunk position (unchanged, conflicts), before the writes a fatal error stopped drop out.
      const positioned = deltaPass && delta ? deltaPass.outcomes(delta, settledAttempts) : settledAttempts;
      const attempts = positioned.filter((a): a is WriteAttempt => a !== undefined);
      // Undo's after-images of the writes that went out, before the outcomes (which move the resume
      // offset): a crash in between writes the chunk again.
      beats.phase(`chunk at ${start}: after-images and outcomes`);
      if (imaging) await deps.images?.recordAfter(input, batch.object, input.batchId, settledAttempts.flatMap((a, i) => (a && !delta?.settled[i] ? afterOf(a) : [])));
      if (attempts.length > 0 || !fatal) await deps.store.writeOutcomes(input, attempts.map((a) => a.outcome), kind);
      if (deltaPass && delta) await deltaPass.commit(delta, settledAttempts);
      if (fatal) throw fatal.error;
      reportChunk(deps.metrics, input.tenantId, input.batchId, attempts);
      const firstRetry = attempts.findIndex((a) => !a.done);
      if (firstRetry >= 0) {
        // Everything before the first record to retry is recorded: the next attempt starts there.
        if (offsets) beats.progress({ offset: resumeAt + start + firstRetry } satisfies Progress);
        const retry = attempts[firstRetry];
        throw retry && !retry.done ? retry.error : new Error('retry');
      }
      for (const a of attempts) processed[a.outcome.status === 'succeeded' ? 'succeeded' : a.outcome.status === 'skipped' ? 'skipped' : 'failed'] += 1;
      if (offsets) beats.progress({ offset: resumeAt + start + chunk.length } satisfies Progress);
    }

    beats.phase('archiving the batch');
    const archiveKey = await writeBatchArchive(deps.s3, deps.store, input, input.batchId, rows, (record) => runtime.recordId(record));
    const totals = await deps.store.completeBatch(input, input.batchId, archiveKey);
    return { batchId: input.batchId, ...(input.mode === 'all' ? totals : processed) };
  }

  /**
   * Write-ahead: the chunk's before-images are stored before any of its writes goes out. Returns, by
   * chunk position, the records whose image could not be read (with the error): they are not written.
   */
  async function keepBeforeImages(
    ref: LoadBatchInput, object: string, chunk: readonly SourceRow[], mapped: ReadonlyArray<MapOutcome<unknown> | null>,
    idOf: (row: SourceRow) => string, runtime: PairRuntime, signal: AbortSignal,
  ): Promise<Map<number, unknown>> {
    const unread = new Map<number, unknown>();
    const ok = chunk.flatMap((row, i) => {
      const m = mapped[i];
      return m?.status === 'ok' ? [{ position: i, sourceId: idOf(row), write: m.write }] : [];
    });
    if (ok.length === 0 || !runtime.readBefore) return unread;
    const images = await runtime.readBefore(ok.map((w) => w.write), { signal });
    const kept: { sourceId: string; image: WriteImage }[] = [];
    ok.forEach((w, i) => {
      const image = images[i];
      if (image && 'error' in image) unread.set(w.position, image.error);
      else if (image) kept.push({ sourceId: w.sourceId, image });
    });
    await deps.images?.recordBefore(ref, object, ref.batchId, kept);
    return unread;
  }
}

function afterOf(a: WriteAttempt): AfterImage[] {
  const { outcome } = a;
  if (!a.done || outcome.status !== 'succeeded' || outcome.targetObject === null || outcome.targetId === null) return [];
  return [{ sourceId: outcome.sourceId, target: { object: outcome.targetObject, id: outcome.targetId }, after: a.image ?? null }];
}

function skippedOutcome(row: Extract<SourceRow, { t: 'skipped' }>, object: string, batchId: string): RecordOutcome {
  const { skipped } = row;
  return {
    object, sourceId: skipped.source.id, batchId, status: 'skipped', targetObject: null, targetId: null, action: null,
    errorKind: skipped.kind, errorMessage: skipped.reason, note: null,
  };
}

