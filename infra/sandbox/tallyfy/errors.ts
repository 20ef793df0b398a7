/**
 * Tallyfy's error bodies: `{error: true, message}`; a 404 adds `code` (ENDPOINT_NOT_FOUND / RESOURCE_NOT_FOUND);
 * a 422 carries `errors: {field: [msg]}`. Handlers throw TallyfyError; the surface puts it on the wire.
 */
export class TallyfyError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly errors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = 'TallyfyError';
  }
}

export function errorBody(error: TallyfyError): Record<string, unknown> {
  return { error: true, message: error.message, ...(error.code ? { code: error.code } : {}), ...(error.errors ? { errors: error.errors } : {}) };
}

export const resourceNotFound = (what: string) => new TallyfyError(404, `${what} not found`, 'RESOURCE_NOT_FOUND');
export const endpointNotFound = (method: string, path: string) => new TallyfyError(404, `Endpoint ${method} ${path} not found`, 'ENDPOINT_NOT_FOUND');
export const unauthenticated = (why = 'Unauthenticated.') => new TallyfyError(401, why);
export const forbidden = (why: string) => new TallyfyError(403, why);
/** A 422 about one field (Laravel's validation shape). */
export const invalid = (field: string, message: string) => new TallyfyError(422, 'The given data was invalid.', undefined, { [field]: [message] });
