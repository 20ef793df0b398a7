import { isConnectorError } from '../connectors/connector-error.ts';
import type { PairRuntime } from '../pairs/pair.ts';
import { isRecordLevelKind } from '../../shared/error-kinds.ts';
import type { RecordOutcome } from './job-store.ts';

/**
 * The dry-run diff of one mapped record: the pair reads the target (nothing is written) and says
 * what a real run would do. Logged as a `dry_run` success with its class; a conflict's or refusal's
 * reason goes to the error message so the record log and the CSV show it. A record-level error of
 * the read itself (e.g. 404 on the matched record) is the record's refusal; retryable errors hand the
 * batch back like a write would; anything else (auth, config) fails the batch.
 */
export async function previewRecord(args: {
  base: Omit<RecordOutcome, 'status' | 'note'>;
  write: unknown;
  runtime: PairRuntime;
  note: string | null;
  signal: AbortSignal;
}): Promise<{ done: true; outcome: RecordOutcome } | { done: false; outcome: RecordOutcome; error: unknown }> {
  const { base, runtime, note } = args;
  const preview = runtime.preview;
  if (!preview) throw new Error('previewRecord needs a pair with preview');
  try {
    const p = await preview.call(runtime, args.write, { signal: args.signal });
    return {
      done: true,
      outcome: {
        ...base, status: 'succeeded', action: 'dry_run', note,
        targetObject: p.target?.object ?? null, targetId: p.target?.id ?? null,
        errorMessage: p.reason ?? null, diffClass: p.class, diffChanges: p.changes && p.changes.length > 0 ? p.changes : null,
      },
    };
  } catch (err) {
    if (isConnectorError(err) && isRecordLevelKind(err.kind)) {
      return { done: true, outcome: { ...base, status: 'succeeded', action: 'dry_run', note, errorKind: err.kind, errorMessage: err.message, diffClass: 'refused' } };
    }
    if (isConnectorError(err) && err.retryable) {
      return { done: false, error: err, outcome: { ...base, status: 'retrying', errorKind: err.kind, errorMessage: err.message, note } };
    }
    throw err;
  }
}
