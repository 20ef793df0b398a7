import { ApplicationFailure } from '@temporalio/common';
import { isConnectorError } from '../connectors/connector-error.ts';
import { isPermanentDatabaseError } from '../../shared/db/connection-loss.ts';
import { CONFIG, NON_RETRYABLE_ERROR_KINDS, RATE_LIMITED, TRANSIENT, type ErrorKind } from '../../shared/error-kinds.ts';

/**
 * Not a connector kind: the failure type of a database error no retry can fix (a constraint or a
 * privilege violation, a missing table). It fails at once, so the bug surfaces instead of looping.
 */
export const DATABASE_ERROR = 'database_error';

/**
 * Turns any error into the ApplicationFailure Temporal acts on: `type` is the shared error kind (so
 * job retry policies can name it), non-retryable kinds fail at once, and a rate limit's wait becomes
 * the next retry delay.
 */
export function toActivityFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (isConnectorError(err)) {
    const nonRetryable = (NON_RETRYABLE_ERROR_KINDS as readonly string[]).includes(err.kind);
    return ApplicationFailure.create({
      type: err.kind,
      message: err.message,
      nonRetryable,
      details: [err.toJSON()],
      ...(err.kind === RATE_LIMITED && err.retryAfterMs ? { nextRetryDelay: err.retryAfterMs } : {}),
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  if (isPermanentDatabaseError(err)) return ApplicationFailure.create({ type: DATABASE_ERROR, message, nonRetryable: true });
  // Database and network hiccups are worth another attempt; anything unknown too, within the policy.
  return ApplicationFailure.create({ type: TRANSIENT, message, nonRetryable: false });
}

export function configFailure(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: CONFIG satisfies ErrorKind, message, nonRetryable: true });
}

/** The latest moment an attempt may wait for the database: a margin before its start-to-close timeout. */
export function attemptDeadline(info: { currentAttemptScheduledTimestampMs: number; startToCloseTimeoutMs: number }, marginMs = 30_000): number {
  return info.currentAttemptScheduledTimestampMs + info.startToCloseTimeoutMs - marginMs;
}
