import { AUTH, isRetryableKind, RATE_LIMITED, TRANSIENT, VALIDATION, type ErrorKind } from '../../shared/error-kinds.ts';

export interface ConnectorErrorOptions {
  kind: ErrorKind;
  message: string;
  /** HTTP status when the error came from a response; undefined for network errors and local checks. */
  status?: number;
  /** How long the caller should wait before trying again (rate_limited, sometimes transient). */
  retryAfterMs?: number;
  /** Machine-readable extras: API error code, merged-into id, attribute slug... never request headers. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one error every connector throws. Built from the shared classification so activities can
 * map it straight onto an ApplicationFailure (`type = kind`, `nonRetryable = !retryable`).
 * Messages are composed by the connector from method, path and the API's own message: they never
 * contain credentials (see `redactSecrets`).
 */
export class ConnectorError extends Error {
  readonly kind: ErrorKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly details: Record<string, unknown>;

  constructor(options: ConnectorErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectorError';
    this.kind = options.kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details ?? {};
  }

  get retryable(): boolean {
    return isRetryableKind(this.kind);
  }

  /** Plain JSON for record logs and ApplicationFailure details. */
  toJSON(): { kind: ErrorKind; status?: number; retryAfterMs?: number; message: string; details: Record<string, unknown> } {
    return {
      kind: this.kind,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
      message: this.message,
      details: this.details,
    };
  }
}

export function isConnectorError(error: unknown): error is ConnectorError {
  return error instanceof ConnectorError;
}

/** Default kind for an HTTP status; connectors refine it with the body (merged entity, billing...). */
export function kindForStatus(status: number): ErrorKind {
  if (status === 429) return RATE_LIMITED;
  if (status === 401 || status === 403) return AUTH;
  if (status === 404) return 'not_found';
  if (status === 408 || status >= 500) return TRANSIENT;
  if (status >= 400) return VALIDATION;
  return TRANSIENT;
}

/** Replaces every occurrence of the given secrets (and their Basic encodings) in a text. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of [secret, Buffer.from(`:${secret}`).toString('base64')]) {
      out = out.split(form).join('[REDACTED]');
    }
  }
  return out;
}

/** The longest excerpt of an API's own error message that reaches a tenant-visible field. */
export const EXCERPT_CHARS = 200;

/**
 * A short, single-line excerpt of an API's error message for messages tenants read (job error,
 * record log, reports): control and formatting characters dropped, whitespace collapsed, cut at
 * `max` characters. The whole response stays in the operator's log (http-client.ts).
 */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  // C0/C1 controls, bidi and zero-width formatting characters, line/paragraph separators.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point here
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]+/g, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** What a tenant learns about a body that was not JSON: its size, never its content. */
export function describeNonJsonBody(text: string): string {
  return `non-JSON response body (${Buffer.byteLength(text)} bytes, not shown)`;
}

/**
 * The same ConnectorError with `context` (the step of the job) in front of its message, so a job's
 * error says which side failed doing what; other errors pass through unchanged.
 */
export function inContext(error: unknown, context: string): unknown {
  if (!isConnectorError(error)) return error;
  return new ConnectorError({
    kind: error.kind, status: error.status, retryAfterMs: error.retryAfterMs, message: `${context}: ${error.message}`, details: error.details,
  });
}
