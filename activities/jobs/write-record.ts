import type { AffinityRecord } from '../pairs/affinity-attio/affinity/affinity-types.ts';
import { isConnectorError } from '../connectors/connector-error.ts';
import type { TargetConnector } from '../pairs/affinity-attio/connector-types.ts';
import { mapRecord, referencedKeys, type FieldIndex, type MapContext, type MapOutcome, type MappedWrite } from '../pairs/affinity-attio/mapping/index.ts';

import { isRecordLevelKind, SKIP_ERROR_KINDS } from '../../shared/error-kinds.ts';
import type { RecordOutcome } from './job-store.ts';

export type WriteAttempt =
  | { done: true; outcome: RecordOutcome }
  /** Worth another attempt later (rate limit, 5xx, timeout): the batch attempt ends and is retried. */
  | { done: false; outcome: RecordOutcome; error: unknown };

function joined(lines: readonly string[]): string | null {
  return lines.length > 0 ? lines.join('; ') : null;
}

/** References of a record (parents included) that do not resolve with what is migrated so far. */
export function unresolvedNow(record: AffinityRecord, fields: FieldIndex, ctx: MapContext): number {
  return referencedKeys([record], fields).filter((key) => ctx.resolve(key) === undefined).length;
}

/**
 * Maps one source record and writes it to the target. Record-level problems (validation, merged,
 * not found) become that record's outcome; anything retryable is handed back to the batch; auth,
 * config and quota errors are thrown — no other record could succeed either.
 */
export async function writeRecord(args: {
  record: AffinityRecord; object: string; batchId: string; ctx: MapContext; fields: FieldIndex; target: TargetConnector; dryRun: boolean; signal: AbortSignal;
  /** The record already mapped (by `mapRecord` with the same context); mapped here when absent. */
  mapped?: MapOutcome<MappedWrite>;
}): Promise<WriteAttempt> {
  const { record, object, batchId } = args;
  const base = { object, sourceId: record.id, batchId, targetObject: null, targetId: null, action: null, errorKind: null, errorMessage: null };
  const mapped = args.mapped ?? mapRecord(record, args.ctx);
  // References not migrated (yet), parents included: the references pass rewrites the record once
  // everything else is in (and again after a retry fixed what it points at).
  const unresolved = unresolvedNow(record, args.fields, args.ctx);
  if (mapped.status === 'skip') {
    const failed = mapped.kind === 'validation' && !mapped.reason.includes('disabled');
    return {
      done: true,
      outcome: {
        ...base, status: failed ? 'failed' : 'skipped', errorKind: mapped.kind, errorMessage: mapped.reason,
        note: joined([...mapped.notes, ...mapped.warnings]), unresolved: mapped.kind === 'not_found' ? Math.max(1, unresolved) : 0,
      },
    };
  }
  const note = joined([...mapped.notes, ...mapped.warnings]);
  if (args.dryRun) return { done: true, outcome: { ...base, status: 'succeeded', action: 'dry_run', note } };
  const w = mapped.write;
  const options = { signal: args.signal };
  try {
    const result = w.kind === 'record' ? await args.target.upsertRecord(w.write, options)
      : w.kind === 'note' ? await args.target.createNote(w.write, options)
        : await args.target.addListEntry(w.write, options);
    return {
      done: true,
      outcome: {
        ...base, status: 'succeeded', targetObject: result.target.object, targetId: result.target.id, action: result.action,
        note: joined([...mapped.notes, ...mapped.warnings, ...result.warnings]), unresolved,
      },
    };
  } catch (err) {
    if (isConnectorError(err) && isRecordLevelKind(err.kind)) {
      const skipped = SKIP_ERROR_KINDS.includes(err.kind);
      return { done: true, outcome: { ...base, status: skipped ? 'skipped' : 'failed', errorKind: err.kind, errorMessage: err.message, note } };
    }
    if (isConnectorError(err) && err.retryable) {
      return { done: false, error: err, outcome: { ...base, status: 'retrying', errorKind: err.kind, errorMessage: err.message, note } };
    }
    throw err;
  }
}
