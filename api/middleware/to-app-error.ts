import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';
import { AppError, DependencyError, UnauthorizedError, ValidationError } from '../../shared/errors.ts';

/** One issue of a failed validation, as clients see it in `error.details`. */
export interface IssueDetail {
  location: string;
  path: (string | number)[];
  code: string;
  message: string;
}

export function zodIssues(error: ZodError, location: string): IssueDetail[] {
  return error.issues.map((issue) => ({
    location,
    path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    code: issue.code,
    message: issue.message,
  }));
}

/** postgres.js and Node socket codes that mean "the database is not there", not "the query is wrong". */
const PG_UNAVAILABLE = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED',
  'CONNECTION_ENDED', 'CONNECTION_DESTROYED', '57P01', '57P02', '57P03', '53300',
]);
/** gRPC UNAVAILABLE and DEADLINE_EXCEEDED from the Temporal client. */
const GRPC_UNAVAILABLE = new Set([14, 4]);

function codeOf(err: unknown): unknown {
  return typeof err === 'object' && err !== null && 'code' in err ? (err as { code: unknown }).code : undefined;
}

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed',
  409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type', 429: 'rate_limited',
};

/**
 * Maps anything thrown while serving a request to the one error contract. Unknown errors become a
 * bare 500 whose message reveals nothing; the original is logged by the caller.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException) {
    if (err.status === 400 && /json/i.test(err.message)) return new AppError('invalid_json', 400, 'Request body is not valid JSON');
    if (err.status === 413) return new AppError('payload_too_large', 413, 'Request body is too large');
    if (err.status === 415) return new AppError('unsupported_media_type', 415, 'Send the request body as application/json');
    if (err.status === 401) return new UnauthorizedError();
    return new AppError(STATUS_CODES[err.status] ?? 'http_error', err.status, err.message || 'Request failed');
  }
  if (err instanceof ZodError) return new ValidationError('Request validation failed', zodIssues(err, 'body'));
  const code = codeOf(err);
  if (typeof code === 'string' && (PG_UNAVAILABLE.has(code) || code.startsWith('08'))) {
    return new DependencyError('PostgreSQL', 'the database is not reachable; retry shortly', err);
  }
  // PostgreSQL refuses a NUL character in a text parameter (22021; 22P05 for untranslatable ones):
  // a client-supplied string that cannot be stored or searched for is bad input, not a server fault
  // (the security suite found `GET /v1/audit?actor=%00` and a tenant name with \u0000 answering 500).
  if (code === '22021' || code === '22P05') {
    return new ValidationError('Request contains a character that cannot be stored or searched for (e.g. NUL)');
  }
  if (typeof code === 'number' && GRPC_UNAVAILABLE.has(code)) {
    return new DependencyError('Temporal', 'the workflow service is not reachable; retry shortly', err);
  }
  return new AppError('internal_error', 500, 'Internal server error', { cause: err });
}

