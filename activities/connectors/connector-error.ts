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
