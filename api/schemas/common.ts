import { z } from '@hono/zod-openapi';
import type { CursorCodec } from '../../shared/tenancy/cursor.ts';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation_failed' }),
      message: z.string().openapi({ example: 'Request validation failed' }),
      details: z.unknown().optional(),
      requestId: z.string().openapi({ example: '6f1c2a9e-0b8e-4f7e-9d0e-2f5d1b2c3a4b' }),
    }),
  })
  .openapi('Error');

const ERROR_DESCRIPTIONS = {
  400: 'Invalid request (malformed JSON, wrong types, unknown fields)',
  401: 'Missing, malformed, revoked or expired credentials',
  403: 'Your role does not allow this operation',
  404: 'Not found (including objects of other tenants)',
  409: 'Conflicts with the current state',
  413: 'Request body too large',
  415: 'Request body is not application/json',
  422: 'Well-formed but refused (a job whose source call plan does not fit the monthly quota: `quota_insufficient`, with the plan in `details.callPlan`; a job whose connection fails its check: `connection_check_failed`)',
  429: 'Rate limit exceeded; see Retry-After',
  503: 'A dependency (PostgreSQL, Temporal, S3) is unavailable',
} as const;

type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

/** OpenAPI responses for the given error statuses, all with the uniform error body. */
export function errorResponses<const S extends ErrorStatus>(...statuses: S[]) {
  type ErrorResponse = { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } };
  const responses: Partial<Record<ErrorStatus, ErrorResponse>> = {};
  for (const s of statuses) responses[s] = { description: ERROR_DESCRIPTIONS[s], content: { 'application/json': { schema: ErrorSchema } } };
  return responses as { [K in S]: ErrorResponse };
}

/** Errors any authenticated route can answer. */
export const AUTHENTICATED_ERRORS = [400, 401, 403, 429] as const;

export const UuidParam = (name: string, description: string) =>
  z.uuid().openapi({ param: { name, in: 'path' }, description, example: '0d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11' });

export function jsonBody<T extends z.ZodType>(schema: T, description: string) {
  return { required: true, description, content: { 'application/json': { schema } } } as const;
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}

/**
 * The `cursor` query parameter of a list: the `nextCursor` of its previous page, in a format the
 * pattern declares exactly (any matching value is a position the list accepts).
 */
export function cursorQuery(codec: CursorCodec, maxLength = 2000) {
  return z.string().max(maxLength).regex(new RegExp(codec.pattern), 'not a cursor from a previous page').optional()
    .openapi({ description: '`nextCursor` of the previous page', pattern: codec.pattern });
}

/** Any character but NUL, which PostgreSQL cannot store or compare (as a regex class). */
const NOT_NUL = '[^\\u0000]';

/**
 * Free text a person types (names, reasons): trimmed, not blank, no NUL. The pattern states the last
 * two, so the document says what the server checks.
 */
export const textField = (max: number) => z.string().trim().min(1).max(max)
  .regex(new RegExp(`^${NOT_NUL}*[^\\s\\u0000]${NOT_NUL}*$`), 'must not be blank or contain NUL');

/** A filter value compared in SQL: no NUL. */
export const filterText = (max: number) => z.string().min(1).max(max).regex(new RegExp(`^${NOT_NUL}+$`), 'must not contain NUL');
