import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONNECTION_TYPES } from '../connections/connection-model.ts';
import { canonicalHost, isAllowed, parseAllowHosts } from './allow-list.ts';
import { createOutboundPolicy } from './outbound-policy.ts';

describe('parseAllowHosts', () => {
  it('reads host[:port] entries in the URL parser’s spelling', () => {
    expect(parseAllowHosts(' 127.0.0.1:4010, localhost:* ,Sandbox, [::1]:4020 ')).toEqual([
      { host: '127.0.0.1', port: 4010 }, { host: 'localhost', port: '*' }, { host: 'sandbox', port: 'default' }, { host: '[::1]', port: 4020 },
    ]);
    expect(parseAllowHosts('')).toEqual([]);
    expect(parseAllowHosts(undefined)).toEqual([]);
    // Other spellings of one address become that address.
    expect(parseAllowHosts('0x7f000001:1')).toEqual([{ host: '127.0.0.1', port: 1 }]);
  });

  it.each(['http://x', 'a:b', 'a:0', 'a:70000', 'user@host', 'a/b', '[zz]:1', 'a:1:2'])('refuses %s', (entry) => {
    expect(() => parseAllowHosts(entry)).toThrow(/not host\[:port\]|port must/);
  });

  it('matches on canonical host and port', () => {
    const list = parseAllowHosts('127.0.0.1:4010,sandbox,[::1]:*');
    expect(isAllowed(list, '127.0.0.1', 4010, 'http:')).toBe(true);
    expect(isAllowed(list, '127.0.0.1', 4011, 'http:')).toBe(false);
    expect(isAllowed(list, 'sandbox', 80, 'http:')).toBe(true);
    expect(isAllowed(list, 'sandbox', 443, 'https:')).toBe(true);
    expect(isAllowed(list, 'sandbox', 443, 'http:')).toBe(false);
    expect(isAllowed(list, '::1', 9, 'http:')).toBe(true);
    expect(isAllowed(list, 'localhost', 4010, 'http:')).toBe(false);
    expect(canonicalHost('2130706433')).toBe('127.0.0.1');
    expect(canonicalHost('::ffff:127.0.0.1')).toBe('[::ffff:7f00:1]');
  });
});

describe('outbound policy', () => {
  const strict = createOutboundPolicy({ allowHosts: [] });
  const dev = createOutboundPolicy({ allowHosts: parseAllowHosts('127.0.0.1:4010,sandbox,localhost:*') });

  it('admits only the official base URL of each type without an allow-list', () => {
    expect(strict.checkBaseUrl('affinity', 'https://api.affinity.co/')).toEqual({ url: 'https://api.affinity.co' });
    expect(strict.checkBaseUrl('attio', 'https://api.attio.com')).toEqual({ url: 'https://api.attio.com' });
    for (const [type, url] of [
      ['affinity', 'https://api.attio.com'], ['attio', 'https://api.affinity.co'], ['affinity', 'http://api.affinity.co'],
      ['affinity', 'https://api.affinity.co.evil.com'], ['affinity', 'http://127.0.0.1:9000/freight'], ['affinity', 'http://2130706433:4010'],
      ['affinity', 'http://0177.0.0.1'], ['affinity', 'http://0x7f000001'], ['affinity', 'http://[::1]:4010'], ['attio', 'http://[::ffff:127.0.0.1]'],
      ['attio', 'http://169.254.169.254/latest/meta-data'], ['attio', 'http://10.0.0.1'], ['attio', 'http://localhost:4020'], ['attio', 'http://0.0.0.0:4020'],
    ] as const) {
      expect(strict.checkBaseUrl(type, url), `${type} ${url}`).toHaveProperty('problem');
    }
  });

  it('admits allow-listed hosts for every type, on their ports only', () => {
    expect(dev.checkBaseUrl('attio', 'http://127.0.0.1:4010/x')).toEqual({ url: 'http://127.0.0.1:4010/x' });
    // The decimal spelling is the same address, which the operator admitted on this port.
    expect(dev.checkBaseUrl('attio', 'http://2130706433:4010')).toEqual({ url: 'http://127.0.0.1:4010' });
    expect(dev.checkBaseUrl('attio', 'http://127.0.0.1:9000')).toHaveProperty('problem');
    expect(dev.checkBaseUrl('affinity', 'http://sandbox')).toEqual({ url: 'http://sandbox' });
    expect(dev.checkBaseUrl('affinity', 'http://sandbox:4010')).toHaveProperty('problem');
    expect(dev.checkBaseUrl('affinity', 'https://localhost:1234')).toEqual({ url: 'https://localhost:1234' });
  });

  it('tells the tenant which URL is expected, never the allow-list', () => {
    const refused = strict.checkBaseUrl('affinity', 'http://127.0.0.1:9000/freight/tenants');
    expect(refused).toEqual({ problem: expect.stringMatching(/official Affinity API \(https:\/\/api\.affinity\.co\); 127\.0\.0\.1:9000 is not allowed/) });
  });

  it('declares exactly what it accepts: every string matching the pattern passes the check', () => {
    for (const policy of [strict, dev, createOutboundPolicy({ allowHosts: parseAllowHosts('[::1]:*,127.0.0.1:80') })]) {
      for (const type of CONNECTION_TYPES) {
        const pattern = new RegExp(policy.baseUrlPattern(type));
        fc.assert(fc.property(fc.stringMatching(pattern), (url) => {
          fc.pre(url.length <= 2000);
          expect(policy.checkBaseUrl(type, url), url).toHaveProperty('url');
        }), { numRuns: 300 });
      }
    }
    expect(new RegExp(strict.baseUrlPattern('affinity')).test('https://api.attio.com')).toBe(false);
    expect(new RegExp(dev.baseUrlPattern('affinity')).test('http://127.0.0.1:4011')).toBe(false);
  });
});
