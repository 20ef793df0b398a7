import type { Context, ErrorHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { ValidationError, type AppError, type ErrorBody } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import type { AppEnv } from '../types.ts';
import { toAppError, zodIssues } from './to-app-error.ts';

/** Renders an AppError as the uniform body, with its headers (Retry-After, WWW-Authenticate). */
export function errorResponse(c: Context<AppEnv>, error: AppError): Response {
  const requestId = c.get('requestId') ?? 'unknown';
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details !== undefined ? { details: error.details } : {}),
      requestId,
    },
  };
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  c.header('X-Request-Id', requestId);
  return c.json(body, error.status as ContentfulStatusCode);
}

/** The single `app.onError`: every failure leaves through here. */
export function createErrorHandler(fallbackLogger: Logger): ErrorHandler<AppEnv> {
  return (err, c) => {
    const error = toAppError(err);
    const log = c.get('log') ?? fallbackLogger;
    if (error.status >= 500) log.error({ err, code: error.code }, 'request error');
    else log.debug({ code: error.code, status: error.status }, 'request rejected');
    return errorResponse(c, error);
  };
}

/**
 * The OpenAPIHono `defaultHook`: a failed zod validation of params, query or body becomes a 400
 * `validation_failed` listing every issue, thrown so it takes the same path as every other error.
 */
export function validationHook(result: { success: true } | { success: false; error: ZodError; target: string }): void {
  if (!result.success) throw new ValidationError('Request validation failed', zodIssues(result.error, result.target));
}
