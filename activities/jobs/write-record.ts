import { isConnectorError } from '../connectors/connector-error.ts';
import type { ImageValues, MapOutcome, PairRuntime } from '../pairs/pair.ts';
import { isRecordLevelKind, SKIP_ERROR_KINDS } from '../../shared/error-kinds.ts';
import type { RecordOutcome } from './job-store.ts';
import { previewRecord } from './preview-record.ts';

export type WriteAttempt =
  /** `image`: the write's after-image (PairWriteResult.image): hashed with the id map for delta passes, kept whole for an undo (write-images.ts). */
  | { done: true; outcome: RecordOutcome; image?: ImageValues }
  /** Worth another attempt later (rate limit, 5xx, timeout): the batch attempt ends and is retried. */
  | { done: false; outcome: RecordOutcome; error: unknown };

function joined(lines: readonly string[]): string | null {
  return lines.length > 0 ? lines.join('; ') : null;
}

/**
 * Maps one source record (through its pair) and writes it to the target. Record-level problems
 * (validation, merged, not found) become that record's outcome; anything retryable is handed back
 * to the batch; auth, config and quota errors are thrown — no other record could succeed either.
 * A record migrated in a degraded form (the mapping's or the write's `degraded` reasons) succeeds
 * with those reasons logged.
 */
export async function writeRecord(args: {
  record: unknown; object: string; batchId: string; ctx: unknown; runtime: PairRuntime; dryRun: boolean; signal: AbortSignal;
  /** The references pass: the record was written before, with references that resolve now. */
  rewrite?: boolean;
  /** A delta pass updates a record Freight created and found unedited in the target: replace, do not merge (PairRuntime.write). */
  overwrite?: boolean;
  /** The record already mapped (by the runtime's `map` with the same context); mapped here when absent. */
  mapped?: MapOutcome<unknown>;
}): Promise<WriteAttempt> {
  const { record, runtime } = args;
  const base = recordBase(args);
  const mapped = args.mapped ?? runtime.map(record, args.ctx);
  // References not migrated (yet), parents included: the references pass rewrites the record once
  // everything else is in (and again after a retry fixed what it points at).
  const unresolved = runtime.unresolvedNow(record, args.ctx);
  if (mapped.status === 'skip') {
    const failed = mapped.kind === 'validation' && !mapped.reason.includes('disabled');
    return {
      done: true,
      outcome: {
        ...base, status: failed ? 'failed' : 'skipped', errorKind: mapped.kind, errorMessage: mapped.reason,
        note: joined([...mapped.notes, ...mapped.warnings]), unresolved: mapped.kind === 'not_found' ? Math.max(1, unresolved) : 0,
        // A diff says the mapping refuses it (as a real run would log it failed), or leaves it out.
        ...(args.dryRun && runtime.preview ? { diffClass: failed ? 'refused' as const : 'skipped' as const } : {}),
      },
    };
  }
  const note = joined([...mapped.notes, ...mapped.warnings]);
  const mappedDegraded = mapped.degraded ?? [];
  const degraded = (more: readonly string[] = []) => {
    const reasons = [...mappedDegraded, ...more];
    return reasons.length > 0 ? { degraded: reasons.join('; ') } : {};
  };
  if (args.dryRun && runtime.preview) return previewRecord({ base, write: mapped.write, runtime, note, signal: args.signal });
  if (args.dryRun) return { done: true, outcome: { ...base, status: 'succeeded', action: 'dry_run', note, ...degraded() } };
  try {
    const result = await runtime.write(mapped.write, { signal: args.signal, ...(args.rewrite ? { rewrite: true } : {}), ...(args.overwrite ? { overwrite: true } : {}) });
    if (result.conflict !== undefined) {
      // Left out on purpose (an undo's target changed since the job wrote it): listed, not failed.
      return {
        done: true,
        outcome: {
          ...base, status: 'skipped', targetObject: result.target.object, targetId: result.target.id, action: result.action,
          errorKind: 'conflict', errorMessage: result.conflict, note: joined(result.warnings),
        },
      };
    }
    return {
      done: true,
      outcome: {
        ...base, status: 'succeeded', targetObject: result.target.object, targetId: result.target.id, action: result.action,
        note: joined([...mapped.notes, ...mapped.warnings, ...result.warnings]), unresolved, ...degraded(result.degraded),
      },
      ...(result.image === undefined ? {} : { image: result.image }),
    };
  } catch (err) {
    return attemptFromError(err, base, note);
  }
}

type RecordBase = Omit<RecordOutcome, 'status' | 'note'>;

/** The record's base outcome (nothing written yet), as a write attempt starts from. */
export function recordBase(args: { record: unknown; object: string; batchId: string; runtime: PairRuntime }): RecordBase {
  return {
    object: args.object, sourceId: args.runtime.recordId(args.record), batchId: args.batchId,
    targetObject: null, targetId: null, action: null, errorKind: null, errorMessage: null,
  };
}

/**
 * A write's error (or its before-image read's) as the record's attempt: a record-level problem is its
 * outcome, a retryable one hands the record back to the batch, anything else (auth, config, quota) is thrown.
 */
export function attemptFromError(err: unknown, base: RecordBase, note: string | null): WriteAttempt {
  if (isConnectorError(err) && isRecordLevelKind(err.kind)) {
    const skipped = SKIP_ERROR_KINDS.includes(err.kind);
    return { done: true, outcome: { ...base, status: skipped ? 'skipped' : 'failed', errorKind: err.kind, errorMessage: err.message, note } };
  }
  if (isConnectorError(err) && err.retryable) {
    return { done: false, error: err, outcome: { ...base, status: 'retrying', errorKind: err.kind, errorMessage: err.message, note } };
  }
  throw err;
}
