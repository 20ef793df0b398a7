import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, ConflictError, RateLimitedError } from '../../shared/errors.ts';
import { toAppError } from './to-app-error.ts';

describe('error mapping', () => {
  it('passes AppErrors through', () => {
    const err = new ConflictError('taken');
    expect(toAppError(err)).toBe(err);
    expect(toAppError(new RateLimitedError(7)).headers).toEqual({ 'Retry-After': '7' });
  });

  it('maps hono HTTP exceptions', () => {
    expect(toAppError(new HTTPException(400, { message: 'Malformed JSON in request body' }))).toMatchObject({ code: 'invalid_json', status: 400 });
    expect(toAppError(new HTTPException(415, { message: 'Unsupported Media Type' }))).toMatchObject({ code: 'unsupported_media_type', status: 415 });
    expect(toAppError(new HTTPException(413))).toMatchObject({ code: 'payload_too_large', status: 413 });
    expect(toAppError(new HTTPException(405, { message: 'nope' }))).toMatchObject({ code: 'method_not_allowed', status: 405 });
  });

  it('maps zod errors to validation_failed with issue details', () => {
    const parsed = z.strictObject({ a: z.number() }).safeParse({ a: 'x', b: 1 });
    const err = toAppError(parsed.error);
    expect(err).toMatchObject({ code: 'validation_failed', status: 400 });
    expect(err.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: ['a'], code: 'invalid_type' }), expect.objectContaining({ code: 'unrecognized_keys' })]));
  });

  it('maps unreachable PostgreSQL and Temporal to 503', () => {
    expect(toAppError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toMatchObject({ status: 503, code: 'dependency_unavailable' });
    expect(toAppError(Object.assign(new Error('conn'), { code: '08006' }))).toMatchObject({ status: 503 });
    expect(toAppError(Object.assign(new Error('14 UNAVAILABLE'), { code: 14 }))).toMatchObject({ status: 503, message: expect.stringMatching(/Temporal/) });
  });

  it('maps a NUL character PostgreSQL refuses to a 400', () => {
    expect(toAppError(Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' }))).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('hides everything else behind a bare 500', () => {
    const err = toAppError(Object.assign(new Error('duplicate key value violates "secret_thing"'), { code: '23505' }));
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 500, code: 'internal_error', message: 'Internal server error' });
    expect(toAppError('a string')).toMatchObject({ status: 500 });
  });
});
