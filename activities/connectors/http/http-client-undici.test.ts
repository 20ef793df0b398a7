import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf } from '../test-helpers.ts';
import { createHttpClient, defaultClassify } from './http-client.ts';

// The default transport (undici `request` on the shared keep-alive Agent) against a real local server.
type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let server: Server;
let baseUrl: string;
const handlers = new Map<string, Handler>();
const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const path = (req.url ?? '').split('?')[0] ?? '';
      const handler = handlers.get(path.replace(/^\/base/, ''));
      if (handler) handler(req, body, res);
      else res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'nope' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/base/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = (timeoutMs?: number) => createHttpClient({
  baseUrl, headers: { authorization: 'Bearer sk-undici-secret' }, secrets: ['sk-undici-secret'],
  classifyError: (failed) => defaultClassify(failed, JSON.stringify(failed.body)), ...(timeoutMs ? { timeoutMs } : {}),
});

describe('createHttpClient over undici', () => {
  it('sends method, path under the base, ordered query, auth and a JSON body; parses the JSON answer', async () => {
    handlers.set('/echo', (_req, body, res) => res.writeHead(200, { 'content-type': 'application/json', 'x-extra': '7' }).end(JSON.stringify({ got: JSON.parse(body) as unknown })));
    const res = await client().request<{ got: unknown }>({ method: 'PUT', path: '/echo', query: [['b', 2], ['a', 'z z'], ['c', null]], body: { n: 1 } });
    expect(res).toMatchObject({ status: 200, body: { got: { n: 1 } } });
    expect(res.headers.get('X-Extra')).toBe('7');
    const last = seen.at(-1);
    expect(last).toMatchObject({ method: 'PUT', url: '/base/echo?b=2&a=z+z', body: '{"n":1}' });
    expect(last?.headers.authorization).toBe('Bearer sk-undici-secret');
    expect(last?.headers['content-type']).toBe('application/json');
  });

  it('reads empty bodies, refuses non-JSON successes, and classifies error statuses with their body', async () => {
    handlers.set('/empty', (_req, _body, res) => res.writeHead(204).end());
    handlers.set('/text', (_req, _body, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('plain'));
    expect((await client().request({ method: 'DELETE', path: '/empty' })).body).toBeNull();
    // A JSON API answering text is a proxy or something else: retried, and its content never passed on.
    const text = await failureOf(client().request({ method: 'GET', path: '/text' }));
    expect(text).toMatchObject({ kind: 'transient', status: 200, message: 'API GET /text → 200: response is not JSON' });
    const error = await failureOf(client().request({ method: 'GET', path: '/missing' }));
    expect(error).toMatchObject({ kind: 'not_found', status: 404 });
  });

  it('honours Retry-After on 429 from the real headers, then succeeds', async () => {
    let calls = 0;
    handlers.set('/limited', (_req, _body, res) => {
      calls += 1;
      if (calls === 1) res.writeHead(429, { 'retry-after': '0.05', 'content-type': 'application/json' }).end('{}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const started = Date.now();
    const res = await client().request<{ ok: boolean }>({ method: 'GET', path: '/limited' });
    expect(res.body.ok).toBe(true);
    expect(calls).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });

  it('times out a silent server as transient, and rethrows the caller abort as is', async () => {
    handlers.set('/silent', () => undefined);
    const timedOut = await failureOf(client(50).request({ method: 'GET', path: '/silent' }));
    expect(timedOut).toMatchObject({ kind: 'transient', message: 'API GET /silent: timed out after 50 ms' });

    const controller = new AbortController();
    const pending = client().request({ method: 'GET', path: '/silent', signal: controller.signal });
    setTimeout(() => controller.abort(new Error('cancelled by workflow')), 20);
    await expect(pending).rejects.toThrow('cancelled by workflow');
  });

  it('turns a reset connection into a transient error without the credentials', async () => {
    handlers.set('/reset', (req) => req.socket.destroy());
    const error = await failureOf(client().request({ method: 'POST', path: '/reset', body: {} }));
    expect(error).toMatchObject({ kind: 'transient' });
    expect(error.message).toMatch(/^API POST \/reset: /);
    expect(error.message).not.toContain('sk-undici-secret');
  });
});
