/**
 * Attio's one error body: {status_code, type, code, message}. Handlers throw AttioApiError with the
 * sandbox's own reason as `code` (e.g. `uniqueness_violation`); the surface puts on the wire the code the
 * spec shows for that operation and status instead (spec-errors.ts), the reason staying in the message.
 */
export type AttioErrorType = 'invalid_request_error' | 'auth_error' | 'rate_limit_error' | 'api_error';

export class AttioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: AttioErrorType = status === 401 ? 'auth_error' : status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'invalid_request_error',
    /** Raised by the poison switch rather than a real rule (counted separately in stats). */
    readonly poison = false,
  ) {
    super(message);
    this.name = 'AttioApiError';
  }
}

export function errorBody(error: AttioApiError): Record<string, unknown> {
  return { status_code: error.status, type: error.type, code: error.code, message: error.message };
}

export const notFound = (message: string) => new AttioApiError(404, 'not_found', message);
export const validationType = (message: string) => new AttioApiError(400, 'validation_type', message);
export const valueNotFound = (message: string) => new AttioApiError(400, 'value_not_found', message);
export const missingValue = (message: string) => new AttioApiError(400, 'missing_value', message);
export const multipleMatch = (message: string) => new AttioApiError(400, 'multiple_match_results', message);
export const filterError = (message: string) => new AttioApiError(400, 'filter_error', message);
export const immutableValue = (message: string) => new AttioApiError(400, 'immutable_value', message);
