import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestClient } from '../test-client.ts';
import { checkAttioResponses } from './contract/index.ts';
import { startAttioSandbox, type AttioSandbox } from './index.ts';

describe('bearer tokens revoked and issued at run time (Attio sandbox)', () => {
  let sandbox: AttioSandbox;
  const as = (token: string) => createTestClient(sandbox.url, `Bearer ${token}`);
  const create = (token: string, email: string) =>
    as(token)('PUT', '/v2/objects/people/records?matching_attribute=email_addresses', { data: { values: { email_addresses: [email] } } });

  beforeAll(async () => {
    sandbox = await startAttioSandbox({ contract: checkAttioResponses, limits: { readsPerSecond: 0, writesPerSecond: 0 }, tokens: ['old-token'] });
  });
  // A revoked token's 401 must fit Attio's published schemas like any other answer.
  afterEach(() => {
    expect(sandbox.contract?.snapshot().recent).toEqual([]);
  });
  afterAll(() => sandbox.close());

  it('revokes after exactly n more writes, answers 401 auth_error afterwards, and accepts a newly issued token', async () => {
    const control = as('old-token');
    expect((await control('POST', '/__sandbox/tokens', { revokeAfterWrites: { token: 'old-token', writes: 2 } })).body).toEqual({ tokens: ['old-token'], pending: { 'old-token': 2 } });
    // Reads do not count towards the revocation.
    expect((await as('old-token')('GET', '/v2/self')).status).toBe(200);
    expect((await create('old-token', 'a@x.com')).status).toBe(200);
    expect((await create('old-token', 'b@x.com')).status).toBe(200);
    const refused = await create('old-token', 'c@x.com');
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ status_code: 401, type: 'auth_error' });
    expect((await as('old-token')('GET', '/v2/self')).status).toBe(401);
    expect(sandbox.workspace.objects.get('people')?.records.size).toBe(2);

    expect((await control('POST', '/__sandbox/tokens', { add: ['new-token'] })).body).toEqual({ tokens: ['new-token'], pending: {} });
    expect((await create('new-token', 'c@x.com')).status).toBe(200);
    expect((await control('POST', '/__sandbox/tokens', { revoke: ['new-token'] })).body.tokens).toEqual([]);
    expect((await create('new-token', 'd@x.com')).status).toBe(401);
    expect((await control('POST', '/__sandbox/tokens', { revokeAfterWrites: { token: 'x', writes: -1 } })).status).toBe(400);
    // A reset brings the starting tokens back.
    await control('POST', '/__sandbox/reset');
    expect((await control('GET', '/__sandbox/tokens')).body).toEqual({ tokens: ['old-token'], pending: {} });
  });
});
