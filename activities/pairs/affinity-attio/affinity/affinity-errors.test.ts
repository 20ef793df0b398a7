import { describe, expect, it } from 'vitest';
import type { FailedResponse } from '../../../connectors/http/http-client.ts';
import { classifyAffinityError } from './affinity-errors.ts';

const failed = (status: number, body: unknown): FailedResponse => ({ method: 'GET', path: '/v2/persons/1', status, headers: new Headers(), body, retryAfterMs: undefined });

// Bodies as the v2 spec's error examples write them: `{errors: [{code, message, param?}]}`.
const v2 = (code: string, message = '🚨 Error! Sound the alarm! 🚨', param?: string) => ({ errors: [{ code, message, ...(param ? { param } : {}) }] });

describe('classifyAffinityError', () => {
  it.each([
    [401, 'authentication', 'auth'],
    [403, 'authorization', 'auth'],
    [404, 'not-found', 'not_found'],
    [400, 'validation', 'validation'],
    [400, 'bad-request', 'validation'],
    [422, 'unprocessable-entity', 'validation'],
    [409, 'conflict', 'validation'],
    [429, 'rate-limit', 'rate_limited'],
    [500, 'server', 'transient'],
  ])('status %i with code %s → %s', (status, code, kind) => {
    const error = classifyAffinityError(failed(status, v2(code)), 5000);
    expect(error).toMatchObject({ kind, status, details: { code } });
  });

  it('lets the status decide over a code (a 503 is transient whatever it says), and ignores codes the spec does not list', () => {
    expect(classifyAffinityError(failed(503, v2('not-found')), 1)).toMatchObject({ kind: 'transient' });
    const unknown = classifyAffinityError(failed(404, v2('merged')), 1);
    expect(unknown).toMatchObject({ kind: 'not_found', details: {} });
  });

  it('names the parameter of a validation error and never reads a merge out of the wording', () => {
    const error = classifyAffinityError(failed(422, v2('validation', 'must be positive', 'limit')), 1);
    expect(error.message).toContain('must be positive (limit)');
    expect(classifyAffinityError(failed(422, { errors: ['1 no longer exists as it has been merged into 2'] }), 1)).toMatchObject({ kind: 'validation' });
  });

  it('is quota_exceeded when a 429 comes with the monthly pool empty', () => {
    expect(classifyAffinityError(failed(429, v2('rate-limit')), 0)).toMatchObject({ kind: 'quota_exceeded', retryable: false });
  });

  it('describes a body that is not JSON instead of showing it', () => {
    const error = classifyAffinityError(failed(502, '<html>Bad gateway</html>'), 1);
    expect(error.message).not.toContain('<html>');
    expect(error.kind).toBe('transient');
  });
});
