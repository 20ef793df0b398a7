/**
 * The one classification of connector failures, shared by every connector, the record log, the
 * per-job retry policy and the workflows. Pure constants: workflows import this file, so it must
 * stay free of imports and side effects.
 *
 * The kind string doubles as the Temporal `ApplicationFailure.type`, so a job's retry policy can
 * list non-retryable kinds by name.
 */

/** 429 from the API, or our own budget refused to wait that long. Carries the wait in ms. */
export const RATE_LIMITED = 'rate_limited';
/** 5xx, timeouts, connection resets: the same request may succeed later. */
export const TRANSIENT = 'transient';
/** 401/403: bad or revoked credentials, missing scope. Retrying cannot help until a human acts. */
export const AUTH = 'auth';
/** The record itself is rejected (400/422/413). Not retryable for that record; the batch goes on. */
export const VALIDATION = 'validation';
/** The source or target object no longer exists. Skipped with a reason. */
export const NOT_FOUND = 'not_found';
/** The source entity was merged into another one. Skipped with the surviving id as the reason. */
export const MERGED = 'merged';
/** Misconfiguration found at run time (unknown object, missing attribute, bad mapping). */
export const CONFIG = 'config';
/** A hard quota (Affinity's monthly pool, Attio billing) is spent: waiting seconds will not help. */
export const QUOTA_EXCEEDED = 'quota_exceeded';
/**
 * The outbound policy refused a call: the connection's host is not an official API or allow-listed,
 * it resolves to a loopback, private, link-local or other non-public address, or the API answered
 * with a redirect (never followed). Only an operator or a changed connection can fix it.
 */
export const OUTBOUND_REFUSED = 'outbound_refused';

export const ERROR_KINDS = [RATE_LIMITED, TRANSIENT, AUTH, VALIDATION, NOT_FOUND, MERGED, CONFIG, QUOTA_EXCEEDED, OUTBOUND_REFUSED] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Kinds worth another attempt of the same call (by the client for 429, by Temporal otherwise). */
export const RETRYABLE_ERROR_KINDS: readonly ErrorKind[] = [RATE_LIMITED, TRANSIENT];

/** Kinds a batch records against one record and moves on from, instead of failing the batch. */
export const RECORD_LEVEL_ERROR_KINDS: readonly ErrorKind[] = [VALIDATION, NOT_FOUND, MERGED];

/** Kinds recorded as `skipped` (with a reason) rather than `failed` in the record log. */
export const SKIP_ERROR_KINDS: readonly ErrorKind[] = [NOT_FOUND, MERGED];

/** Non-retryable kinds, for Temporal's `nonRetryableErrorTypes`. */
export const NON_RETRYABLE_ERROR_KINDS: readonly ErrorKind[] = [AUTH, VALIDATION, NOT_FOUND, MERGED, CONFIG, QUOTA_EXCEEDED, OUTBOUND_REFUSED];

/**
 * Not a connector failure: the `ApplicationFailure.type` a job's workflow closes with once the job
 * failed (after its books are settled), so Temporal shows the workflow as Failed.
 */
export const JOB_FAILED = 'job_failed';

export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && (ERROR_KINDS as readonly string[]).includes(value);
}

export function isRetryableKind(kind: ErrorKind): boolean {
  return RETRYABLE_ERROR_KINDS.includes(kind);
}

export function isRecordLevelKind(kind: ErrorKind): boolean {
  return RECORD_LEVEL_ERROR_KINDS.includes(kind);
}
