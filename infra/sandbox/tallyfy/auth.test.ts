import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock, createTestClient } from '../test-client.ts';
import { API_HEADERS, startHarness, type Harness } from './test-support.ts';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('Tallyfy sandbox auth', () => {
  let h: Harness | undefined;
  afterEach(() => h?.sandbox.close());

  it('needs Bearer and X-Tallyfy-Client on both bases; answers 401 with the error body and an X-Request-Id', async () => {
    h = await startHarness();
    const { sandbox } = h;
    const path = `/organizations/${sandbox.organizationId}/users`;
    const noClient = await createTestClient(sandbox.url, `Bearer ${sandbox.token}`)('GET', path);
    expect(noClient.status).toBe(401);
    expect(noClient.body).toMatchObject({ error: true });
    expect(noClient.headers.get('x-request-id')).toMatch(/.+/);
    expect((await createTestClient(sandbox.url)('GET', path, undefined, API_HEADERS)).status).toBe(401);
    expect((await h.raw('not-a-token')('GET', path)).status).toBe(401);
    const root = await h.raw()('GET', path);
    const go = await h.raw()('GET', `/api${path}`);
    expect(root.status).toBe(200);
    expect(go.status).toBe(200);
    expect(go.body.data[0]).toMatchObject({ email: 'admin@sandbox.tallyfy.test', role: 'admin' });
    expect(sandbox.goUrl).toBe(`${sandbox.url}/api`);
    // Another organisation's path, an unknown endpoint.
    expect((await h.raw()('GET', '/organizations/ffffffffffffffffffffffffffffffff/users')).body).toMatchObject({ error: true, code: 'RESOURCE_NOT_FOUND' });
    expect((await h.raw()('GET', `/organizations/${sandbox.organizationId}/nope`)).body).toMatchObject({ error: true, code: 'ENDPOINT_NOT_FOUND' });
  });

  it('issues tokens from /oauth/token (password, refresh_token, client_credentials) that the API accepts; a bad client is 401 invalid_client', async () => {
    const clock = createFakeClock();
    h = await startHarness({ now: clock.now });
    const { sandbox } = h;
    const token = (fields: Record<string, string>, base = sandbox.url) =>
      createTestClient(base)('POST', '/oauth/token', form(fields), { 'content-type': 'application/x-www-form-urlencoded' });
    const client = { client_id: sandbox.oauthClient.clientId, client_secret: sandbox.oauthClient.clientSecret };

    const bad = await token({ grant_type: 'password', client_id: 'x', client_secret: 'y', username: 'admin@sandbox.tallyfy.test', password: 'sandbox-password' });
    expect(bad.status).toBe(401);
    expect(bad.body.error).toBe('invalid_client');
    expect((await token({ ...client, grant_type: 'password', username: 'admin@sandbox.tallyfy.test', password: 'wrong' })).status).toBe(400);
    const json = await createTestClient(sandbox.url)('POST', '/oauth/token', { ...client, grant_type: 'client_credentials' });
    expect(json.status).toBe(400);

    const issued = await token({ ...client, grant_type: 'password', username: 'admin@sandbox.tallyfy.test', password: 'sandbox-password' }, sandbox.goUrl);
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const me = h.raw(issued.body.access_token);
    expect((await me('GET', `/organizations/${sandbox.organizationId}/checklists`)).status).toBe(200);

    const refreshed = await token({ ...client, grant_type: 'refresh_token', refresh_token: issued.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect((await h.raw(refreshed.body.access_token)('GET', `/organizations/${sandbox.organizationId}/users`)).status).toBe(200);
    expect((await token({ ...client, grant_type: 'refresh_token', refresh_token: issued.body.refresh_token })).status).toBe(400);
    // An hour later the password token is dead.
    clock.advance(3_601_000);
    expect((await me('GET', `/organizations/${sandbox.organizationId}/checklists`)).status).toBe(401);

    const app = await token({ ...client, grant_type: 'client_credentials', scope: '*' });
    expect(app.body).toMatchObject({ token_type: 'Bearer', expires_in: 7 * 86_400 });
    const asApp = h.raw(app.body.access_token);
    // The app token serves /applications only; member tokens do not.
    expect((await asApp('GET', `/organizations/${sandbox.organizationId}/users`)).status).toBe(403);
    const created = await asApp('POST', `/applications/${sandbox.organizationId}/users`, { first_name: 'Ada', last_name: 'L', email: 'ada@x.com' });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ email: 'ada@x.com', status: 'active' });
    expect(Number.isInteger(created.body.data.id)).toBe(true);
    expect((await h.raw()('POST', `/applications/${sandbox.organizationId}/users`, { first_name: 'B', last_name: 'B', email: 'b@x.com' })).status).toBe(403);
    const actAs = await asApp('POST', `/applications/${sandbox.organizationId}/users/ada@x.com/token`);
    expect(actAs.body.expires_in).toBe(90 * 86_400);
    const ada = h.raw(actAs.body.access_token);
    const run = await ada('GET', `/organizations/${sandbox.organizationId}/runs`);
    expect(run.status).toBe(200);
  });
});
