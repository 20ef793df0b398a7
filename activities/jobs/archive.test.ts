import { describe, expect, it } from 'vitest';
import { isS3Unreachable, whileUnreachable } from './archive.ts';

describe('S3 outage handling of batch archives', () => {
  it('tells an unreachable S3 from a wrong request', () => {
    expect(isS3Unreachable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9000'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isS3Unreachable(Object.assign(new Error('slow down'), { $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isS3Unreachable(new Error('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }))).toBe(true);
    expect(isS3Unreachable(Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }))).toBe(false);
  });

  it('waits an outage out within the budget, and gives up on other errors at once', async () => {
    let calls = 0;
    const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    await expect(whileUnreachable(async () => (++calls < 3 ? Promise.reject(down) : 'ok'), 5_000)).resolves.toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    await expect(whileUnreachable(async () => {
      calls += 1;
      throw new Error('AccessDenied');
    }, 5_000)).rejects.toThrow('AccessDenied');
    expect(calls).toBe(1);
    await expect(whileUnreachable(() => Promise.reject(down), 300)).rejects.toBe(down);
  });
});
