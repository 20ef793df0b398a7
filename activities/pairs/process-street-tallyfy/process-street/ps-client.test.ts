import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import { failureOf } from '../../../connectors/test-helpers.ts';
import { createPsClient, type PsClient } from './ps-client.ts';
import { listAll } from './ps-pages.ts';
import { startFakePs, type FakePs } from './ps-test-server.ts';

let ps: FakePs;
let client: PsClient;
const comments = Array.from({ length: 45 }, (_, i) => ({ id: `c${i}`, workflowRunId: 'r1', taskId: 't1', text: `comment ${i}`, createdDate: '2026-01-01T00:00:00.000Z' }));

const makeClient = (apiKey = ps.apiKey): PsClient => createPsClient({
  baseUrl: ps.baseUrl, apiKey, budgets: createBudgetRegistry(), requestsPerSec: Infinity, transientBackoffMs: 5,
});

beforeAll(async () => {
  ps = await startFakePs({
    users: [{ id: 'u1', email: 'a@example.com', username: 'Ann' }], groups: null, workflows: [],
    runs: [{ run: { id: 'r1', status: 'Active', workflowId: 'w1' }, tasks: [], assignees: {}, values: [], comments, attachments: [] }],
  });
  client = makeClient();
});
afterAll(() => ps.close());
beforeEach(() => {
  ps.faults.length = 0;
  ps.log.length = 0;
});

describe('Process Street client', () => {
  it('follows absolute links[name=next] hrefs that keep the filters, and stops when there is none', async () => {
    const all = await listAll<{ id: string }>(client, 'data', '/comments', [['workflowRunId', 'r1']]);
    expect(all.map((c) => c.id)).toEqual(comments.map((c) => c.id));
    expect(ps.log.map((l) => l.url)).toEqual([
      '/api/v1.1/comments?workflowRunId=r1', '/api/v1.1/comments?workflowRunId=r1&_=o20', '/api/v1.1/comments?workflowRunId=r1&_=o40',
    ]);
  });

  it('refuses a next href on another host or outside the API path (the href is tenant data)', async () => {
    await expect(client.getNext('http://evil.example/api/v1.1/users?_=o20')).rejects.toMatchObject({ kind: 'config' });
    await expect(client.getNext(`${new URL(ps.baseUrl).origin}/other/users`)).rejects.toMatchObject({ kind: 'config' });
    await expect(client.getNext(`${ps.baseUrl}/users?_=${'x'.repeat(3000)}`)).rejects.toMatchObject({ kind: 'config' });
    await expect(client.getNext(`${ps.baseUrl}/users%2f..%2f..%2fadmin`)).rejects.toMatchObject({ kind: 'config' });
    expect(ps.log).toHaveLength(0);
  });

  it('waits Retry-After on 429 and then retries', async () => {
    ps.faults.push({ path: /\/users$/, status: 429, headers: { 'retry-after': '1' }, body: JSON.stringify({ error: 'Slow down', errorCode: 'RateLimited' }), times: 1 });
    const body = await client.get<{ users: unknown[] }>('/users');
    expect(body.users).toHaveLength(1);
    expect(ps.log).toHaveLength(2);
    expect((ps.log[1]?.at ?? 0) - (ps.log[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('retries 5xx with backoff, and gives up as transient after its retries', async () => {
    ps.faults.push({ path: /\/users$/, status: 503, body: JSON.stringify({ error: 'down', errorCode: 'InternalError' }), times: 2 });
    expect((await client.get<{ users: unknown[] }>('/users')).users).toHaveLength(1);
    expect(ps.log).toHaveLength(3);
    ps.log.length = 0;
    ps.faults.push({ path: /\/users$/, status: 500, body: '{}', times: 10 });
    await expect(client.get('/users')).rejects.toMatchObject({ kind: 'transient', status: 500 });
    expect(ps.log).toHaveLength(4);
  });

  it('times out a call that gets no answer, retries it, and fails as transient', async () => {
    ps.faults.push({ path: /\/users$/, status: 0, hang: true, times: 2 });
    const quick = createPsClient({ baseUrl: ps.baseUrl, apiKey: ps.apiKey, budgets: createBudgetRegistry(), requestsPerSec: Infinity, timeoutMs: 150, maxTransientRetries: 1, transientBackoffMs: 5 });
    const error = await failureOf(quick.get('/users'));
    expect(error).toMatchObject({ kind: 'transient', details: { network: true } });
    expect(error.message).toContain('timed out after 150 ms');
    expect(ps.log).toHaveLength(2);
  });

  it('classifies a wrong key as auth without echoing the key', async () => {
    const error = await failureOf(makeClient('wrong-key-456').get('/users'));
    expect(error).toMatchObject({ kind: 'auth', status: 401, details: { errorCode: 'Unauthorized' } });
    expect(error.message).toContain('Invalid API key');
    expect(error.message).not.toContain('wrong-key-456');
  });

  it('parses ErrorInfo bodies: errorCode decides 4xx kinds, details keep field names only', async () => {
    const fault = (status: number, body: unknown) => ps.faults.push({ path: /\/users$/, status, body: JSON.stringify(body), times: 1 });
    fault(422, { error: 'Bad due date', errorCode: 'Validation', requestId: 'x', details: { dueDate: 'must be in the future <script>' } });
    expect(await failureOf(client.get('/users'))).toMatchObject({ kind: 'validation', status: 422, details: { errorCode: 'Validation', fields: ['dueDate'] } });
    fault(402, { error: 'Upgrade your plan', errorCode: 'PaymentRequired' });
    expect(await failureOf(client.get('/users'))).toMatchObject({ kind: 'config', status: 402 });
    fault(403, { error: 'No access', errorCode: 'Forbidden' });
    expect(await failureOf(client.get('/users'))).toMatchObject({ kind: 'auth', status: 403 });
    fault(404, { error: 'Workflow run not found', errorCode: 'NotFound' });
    const notFound = await failureOf(client.get('/users'));
    expect(notFound).toMatchObject({ kind: 'not_found', details: { errorCode: 'NotFound' } });
    expect(notFound.message).toBe('Process Street GET /users → 404 NotFound: Workflow run not found');
    fault(409, { error: 'x', errorCode: 'SomethingNew' });
    expect(await failureOf(client.get('/users'))).toMatchObject({ kind: 'validation', details: {} });
  });

  it('handles a plain-text 400 and never shows a body that is not JSON', async () => {
    ps.faults.push({ path: /\/users$/, status: 400, headers: { 'content-type': 'text/plain' }, body: 'Invalid value for: query parameters SECRET-TENANT-TEXT', times: 1 });
    const error = await failureOf(client.get('/users'));
    expect(error).toMatchObject({ kind: 'validation', status: 400 });
    expect(error.message).toContain('plain-text 400');
    expect(error.message).not.toContain('SECRET-TENANT-TEXT');
  });

  it('downloads bytes from the API host only', async () => {
    ps.files.set('a.bin', Buffer.from([1, 2, 3, 250]));
    const origin = new URL(ps.baseUrl).origin;
    expect([...await client.download(`${origin}/files/a.bin`)]).toEqual([1, 2, 3, 250]);
    expect([...await client.download('/files/a.bin')]).toEqual([1, 2, 3, 250]);
    const before = ps.log.length;
    for (const url of ['http://169.254.169.254/latest/meta-data', 'https://files.example.com/a.bin', '//files.example.com/a.bin', `${origin.replace('127.0.0.1', 'localhost')}/files/a.bin`]) {
      await expect(client.download(url)).rejects.toMatchObject({ kind: 'outbound_refused' });
    }
    expect(ps.log).toHaveLength(before);
    await expect(client.download(`${origin}/files/missing.bin`)).rejects.toMatchObject({ kind: 'not_found', status: 404 });
  });

  it('caps a download and refuses redirects', async () => {
    ps.files.set('big.bin', Buffer.alloc(2048));
    const small = createPsClient({ baseUrl: ps.baseUrl, apiKey: ps.apiKey, budgets: createBudgetRegistry(), requestsPerSec: Infinity, maxDownloadBytes: 1024 });
    await expect(small.download('/files/big.bin')).rejects.toMatchObject({ kind: 'validation' });
    ps.faults.push({ path: /\/files\/a\.bin$/, status: 302, headers: { location: 'http://169.254.169.254/' }, times: 1 });
    await expect(client.download('/files/a.bin')).rejects.toMatchObject({ kind: 'outbound_refused', status: 302 });
  });
});
