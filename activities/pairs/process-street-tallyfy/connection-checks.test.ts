import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcessStreetSandbox, type ProcessStreetSandbox } from '../../../infra/sandbox/process-street/index.ts';
import { startTallyfySandbox, type TallyfySandbox } from '../../../infra/sandbox/tallyfy/index.ts';
import { createTestChecker, statuses } from '../check-test-support.ts';

/** Process Street and Tallyfy connection checks against their sandboxes: pass, bad credentials, the wrong organisation. */
let ps: ProcessStreetSandbox;
let tallyfy: TallyfySandbox;
const checker = createTestChecker();

beforeAll(async () => {
  ps = await startProcessStreetSandbox({ size: 0.05, limits: { perSecond: 0 } });
  tallyfy = await startTallyfySandbox({});
});
afterAll(async () => {
  await Promise.all([ps?.close(), tallyfy?.close(), checker.close()]);
});

const psConnection = (apiKey: string) => ({ type: 'process-street' as const, baseUrl: ps.url, apiKey });
const tallyfyConnection = (credentials: Record<string, string>, organizationId = tallyfy.organizationId) =>
  ({ type: 'tallyfy' as const, baseUrl: tallyfy.url, ...credentials, settings: { organizationId } });

describe('Process Street connection check', () => {
  it('passes a good key, named by its label (GET /testAuth)', async () => {
    const result = await checker.run(psConnection(ps.apiKey));
    expect(statuses(result)).toEqual({ reachable: 'pass', credentials: 'pass', identity: 'pass' });
    expect(result.identity?.principal).toBe('Sandbox key 1');
    expect(result).toMatchObject({ ok: true, quota: null });
  });

  it('fails a key Process Street rejects', async () => {
    const result = await checker.run(psConnection('not-a-key'));
    expect(statuses(result)).toEqual({ reachable: 'pass', credentials: 'fail' });
    expect(result.checks[1]?.action).toMatch(/new API key/);
  });
});

describe('Tallyfy connection check', () => {
  it('passes a token acting in the organisation', async () => {
    const result = await checker.run(tallyfyConnection({ token: tallyfy.token }));
    expect(statuses(result)).toEqual({ reachable: 'pass', credentials: 'pass', identity: 'pass' });
    expect(result.identity?.account.id).toBe(tallyfy.organizationId);
  });

  it('fails client credentials: their application token may not call the organisation\'s API (reference, Auth)', async () => {
    const app = await checker.run(tallyfyConnection({ clientId: tallyfy.oauthClient.clientId, clientSecret: tallyfy.oauthClient.clientSecret }));
    expect(statuses(app)).toEqual({ reachable: 'pass', credentials: 'pass', permissions: 'fail' });
    expect(app.checks[2]?.action).toMatch(/personal access token/);
  });

  it('fails a token Tallyfy rejects, and a client secret it rejects', async () => {
    expect(statuses(await checker.run(tallyfyConnection({ token: 'nope' })))).toEqual({ reachable: 'pass', credentials: 'fail' });
    const app = await checker.run(tallyfyConnection({ clientId: tallyfy.oauthClient.clientId, clientSecret: 'wrong-secret' }));
    expect(app.failed).toEqual(['credentials']);
  });

  it('fails an organisation the token does not act in, with what to correct', async () => {
    const result = await checker.run(tallyfyConnection({ token: tallyfy.token }, 'ffffffffffffffffffffffffffffffff'));
    expect(statuses(result)).toEqual({ reachable: 'pass', credentials: 'pass', identity: 'fail' });
    expect(result.checks[2]?.action).toMatch(/organizationId/);
  });
});
