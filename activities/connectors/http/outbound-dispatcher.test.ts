import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { buildConnector } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../shared/logger.ts';
import { parseAllowHosts } from '../../../shared/outbound/allow-list.ts';
import { createOutboundPolicy } from '../../../shared/outbound/outbound-policy.ts';
import { defaultClassify, createHttpClient } from './http-client.ts';
import { createGuardedConnector, createOutboundDispatcher, OutboundRefusedError, type HostLookup } from './outbound-dispatcher.ts';
import { failureOf } from '../test-helpers.ts';

// An "internal service" on loopback whose answer must never reach a connector, and an allow-listed
// "sandbox" that redirects there.
const SECRET = 'INTERNAL-MINIO-XML-<ListBucketResult>';
let internal: Server;
let sandbox: Server;
let internalPort = 0;
let sandboxPort = 0;
let internalHits = 0;

const listen = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

beforeAll(async () => {
  internal = createServer((_req, res) => {
    internalHits += 1;
    res.writeHead(400, { 'content-type': 'application/xml' }).end(SECRET);
  });
  internalPort = await listen(internal);
  sandbox = createServer((req, res) => {
    if (req.url?.startsWith('/redirect')) res.writeHead(302, { location: `http://127.0.0.1:${internalPort}/freight` }).end();
    else if (req.url?.startsWith('/html')) res.writeHead(502, { 'content-type': 'text/html' }).end(`<html>${SECRET}</html>`);
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  sandboxPort = await listen(sandbox);
});

afterAll(async () => {
  for (const s of [internal, sandbox]) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

const names: Record<string, string[]> = {
  'localhost': ['127.0.0.1', '::1'],
  'internal.example.test': ['10.0.0.7'],
  'metadata.example.test': ['169.254.169.254'],
  'mixed.example.test': ['93.184.215.14', '127.0.0.1'],
  'mapped.example.test': ['::ffff:127.0.0.1'],
};
const lookup: HostLookup = async (host) => (names[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

const logLines: string[] = [];
const logger = createLogger({ level: 'debug', name: 'outbound-test', destination: { write: (l: string) => void logLines.push(l) } });

function clientFor(baseUrl: string, allow = '') {
  const policy = createOutboundPolicy({ allowHosts: parseAllowHosts(allow) });
  return createHttpClient({
    name: 'Affinity', baseUrl, headers: {}, secrets: [], logger,
    classifyError: (failed) => defaultClassify(failed, typeof failed.body === 'string' ? 'non-JSON' : JSON.stringify(failed.body)),
    dispatcher: createOutboundDispatcher({ policy, lookup, logger }),
  });
}

describe('outbound dispatcher', () => {
  it.each([
    ['loopback', () => `http://127.0.0.1:${internalPort}/freight`],
    ['IPv6 loopback', () => `http://[::1]:${internalPort}`],
    ['IPv4-mapped IPv6', () => `http://[::ffff:127.0.0.1]:${internalPort}`],
    ['decimal IPv4', () => `http://2130706433:${internalPort}`],
    ['octal IPv4', () => `http://0177.0.0.1:${internalPort}`],
    ['hex IPv4', () => `http://0x7f000001:${internalPort}`],
    ['unspecified', () => `http://0.0.0.0:${internalPort}`],
    ['a name for loopback', () => `http://localhost:${internalPort}`],
    ['a name for a private address', () => 'http://internal.example.test'],
    ['a name for the metadata address', () => 'http://metadata.example.test/latest/meta-data'],
    ['a name with one internal address among public ones', () => `http://mixed.example.test:${internalPort}`],
    ['a name for an IPv4-mapped loopback', () => `http://mapped.example.test:${internalPort}`],
    ['the metadata address', () => 'http://169.254.169.254/latest/meta-data'],
    ['a private address', () => 'http://10.0.0.1:9000'],
    ['CGNAT', () => 'http://100.64.0.1'],
    ['unique-local IPv6', () => 'http://[fd00::1]'],
    ['link-local IPv6', () => 'http://[fe80::1]'],
    ['multicast', () => 'http://224.0.0.1'],
  ])('refuses %s before connecting, non-retryably and without a byte of the answer', async (_label, url) => {
    const before = internalHits;
    const error = await failureOf(clientFor(url()).request({ method: 'GET', path: '/persons/fields' }));
    expect(error).toMatchObject({ kind: 'outbound_refused', retryable: false });
    expect(error.message).toMatch(/^Affinity GET \/persons\/fields: refused by the outbound policy: /);
    expect(error.message).not.toContain('INTERNAL');
    expect(internalHits).toBe(before);
  });

  it('connects to allow-listed hosts (the sandboxes), on their ports only', async () => {
    const ok = await clientFor(`http://127.0.0.1:${sandboxPort}`, `127.0.0.1:${sandboxPort}`).request({ method: 'GET', path: '/x' });
    expect(ok.body).toEqual({ ok: true });
    const before = internalHits;
    const error = await failureOf(clientFor(`http://127.0.0.1:${internalPort}`, `127.0.0.1:${sandboxPort}`).request({ method: 'GET', path: '/x' }));
    expect(error).toMatchObject({ kind: 'outbound_refused' });
    expect(internalHits).toBe(before);
  });

  it('follows no redirect, even from an allowed host, and names none', async () => {
    const before = internalHits;
    const error = await failureOf(clientFor(`http://127.0.0.1:${sandboxPort}`, `127.0.0.1:${sandboxPort}`).request({ method: 'GET', path: '/redirect' }));
    expect(error).toMatchObject({ kind: 'outbound_refused', status: 302, retryable: false, message: 'Affinity GET /redirect → 302: redirect not followed (outbound policy)' });
    expect(internalHits).toBe(before);
  });

  it('keeps a non-JSON error body out of the error and puts all of it in the operator log', async () => {
    const error = await failureOf(clientFor(`http://127.0.0.1:${sandboxPort}`, `127.0.0.1:${sandboxPort}`).request({ method: 'GET', path: '/html' }));
    expect(error).toMatchObject({ kind: 'transient', status: 502 });
    expect(error.message).not.toContain('INTERNAL');
    expect(logLines.join('\n')).toContain(SECRET);
  });

  it('pins each new connection to the address it checked, and checks again for the next one (rebinding)', async () => {
    const answers = [['93.184.215.14'], ['127.0.0.1']];
    const seen: buildConnector.Options[] = [];
    const connector = createGuardedConnector({
      policy: createOutboundPolicy({ allowHosts: [] }),
      lookup: async () => (answers.shift() ?? []).map((address) => ({ address, family: 4 })),
      baseConnector: (opts, callback) => {
        seen.push(opts);
        callback(new Error('stop here'), null);
      },
    });
    const connect = (): Promise<Error | null> => new Promise((resolve) => {
      connector({ hostname: 'api.affinity.co', host: 'api.affinity.co', protocol: 'https:', port: '' }, (...args) => resolve(args[0]));
    });
    expect((await connect())?.message).toBe('stop here');
    expect(seen[0]).toMatchObject({ hostname: '93.184.215.14', servername: 'api.affinity.co', host: 'api.affinity.co' });
    const second = await connect();
    expect(second).toBeInstanceOf(OutboundRefusedError);
    expect(second?.message).toBe('refused by the outbound policy: api.affinity.co resolves to a loopback address');
    expect(seen).toHaveLength(1);
  });
});
