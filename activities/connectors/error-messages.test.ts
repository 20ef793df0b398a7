import { describe, expect, it } from 'vitest';
import { classifyAffinityError } from '../pairs/affinity-attio/affinity/affinity-errors.ts';
import { classifyAttioError } from '../pairs/affinity-attio/attio/attio-errors.ts';
import { ConnectorError, excerpt, inContext } from './connector-error.ts';
import type { FailedResponse } from './http/http-client.ts';

const failed = (status: number, body: unknown, path = '/persons/fields'): FailedResponse => ({
  method: 'GET', path, status, headers: { get: () => null }, body, retryAfterMs: undefined,
});

// What tenants read names the connector, the operation and the status, with at most a short,
// single-line excerpt of the API's own message; a body that is not JSON is described, never shown.
describe('tenant-visible connector error messages', () => {
  it('Affinity: connector, operation, status and a short excerpt', () => {
    const long = `bad\u0000 page\n\u202esize ${'x'.repeat(1000)}`;
    const e = classifyAffinityError(failed(400, { errors: [long, { message: 'second' }, { param: 'secret-ish' }] }), undefined);
    expect(e.message.startsWith('Affinity GET /persons/fields → 400: bad page size xxx')).toBe(true);
    expect(e.message.length).toBeLessThan(260);
    expect([...e.message].filter((c) => c.charCodeAt(0) < 0x20 || c === '\u202e')).toEqual([]);
    expect(e.message).not.toContain('secret-ish');
  });

  it('a body that is not JSON (another service’s XML or HTML) is described by size only', () => {
    const xml = '<?xml version="1.0"?><ListBucketResult><Name>freight</Name></ListBucketResult>';
    expect(classifyAffinityError(failed(400, xml), undefined).message).toBe(`Affinity GET /persons/fields → 400: non-JSON response body (${xml.length} bytes, not shown)`);
    const attio = classifyAttioError(failed(502, `<html>${xml}</html>`, '/v2/objects'));
    expect(attio.message).toMatch(/^Attio GET \/v2\/objects → 502: non-JSON response body \(\d+ bytes, not shown\)$/);
  });

  it('Attio: its code only when it looks like one', () => {
    expect(classifyAttioError(failed(400, { code: 'validation_type', message: 'Bad value' })).message).toBe('Attio GET /persons/fields → 400 validation_type: Bad value');
    expect(classifyAttioError(failed(400, { code: '<b>x</b>', message: 'm' })).message).toBe('Attio GET /persons/fields → 400: m');
  });

  it('says which step of the job failed, keeping kind and status', () => {
    const e = inContext(new ConnectorError({ kind: 'validation', status: 400, message: 'Affinity GET /persons/fields → 400: bad' }), 'reading the source fields');
    expect(e).toMatchObject({ kind: 'validation', status: 400, message: 'reading the source fields: Affinity GET /persons/fields → 400: bad' });
    const other = new Error('x');
    expect(inContext(other, 'y')).toBe(other);
    expect(excerpt('a'.repeat(300))).toHaveLength(200);
  });
});
