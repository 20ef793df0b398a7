/**
 * The one error contract of Freight. Every failure that reaches a client is an AppError (or is
 * turned into one by the API's onError), rendered as {"error": {code, message, details?, requestId}}.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(code: string, status: number, message: string, options: { details?: unknown; cause?: unknown; headers?: Record<string, string> } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super('validation_failed', 400, message, { details });
    this.name = 'ValidationError';
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Missing or invalid credentials') {
    super('unauthorized', 401, message, { headers: { 'WWW-Authenticate': 'Bearer realm="freight"' } });
    this.name = 'UnauthorizedError';
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Your role does not allow this operation') {
    super('forbidden', 403, message);
    this.name = 'ForbiddenError';
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super('not_found', 404, `${what} not found`);
    this.name = 'NotFoundError';
  }
}

/** A known path asked with a method it does not take; `Allow` lists those it does. */
export class MethodNotAllowedError extends AppError {
  constructor(method: string, allowed: readonly string[]) {
    super('method_not_allowed', 405, `Method ${method} is not allowed here; allowed: ${allowed.join(', ')}`, {
      headers: { Allow: allowed.join(', ') },
    });
    this.name = 'MethodNotAllowedError';
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super('conflict', 409, message, { details });
    this.name = 'ConflictError';
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super('payload_too_large', 413, `Request body exceeds ${limitBytes} bytes`);
    this.name = 'PayloadTooLargeError';
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super('rate_limited', 429, `Too many requests; retry after ${retryAfterSeconds} s`, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
    this.name = 'RateLimitedError';
  }
}

export class DependencyError extends AppError {
  constructor(dependency: string, message: string, cause?: unknown) {
    super('dependency_unavailable', 503, `${dependency} unavailable: ${message}`, { cause });
    this.name = 'DependencyError';
  }
}

/** Error body shape shared by the API, the OpenAPI document and the tests. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId: string };
}
