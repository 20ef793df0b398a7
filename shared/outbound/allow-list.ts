import { isIP } from 'node:net';

/**
 * One entry of the operator's outbound allow-list (`FREIGHT_OUTBOUND_ALLOW_HOSTS`): a host as the URL
 * parser writes it (lower case, IPv4 in dotted decimal, IPv6 in brackets, compressed) and a port:
 * a number, `*` for any, or `default` (80 for http, 443 for https) when the entry names none.
 */
export interface AllowedHost {
  host: string;
  port: number | '*' | 'default';
}

const ENTRY = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]/\s@?#]+)(?::(\*|\d{1,5}))?$/;

/**
 * The host of a URL as WHATWG's parser canonicalises it, or undefined when it is not a host. It
 * turns `0177.0.0.1`, `2130706433` and `0x7f000001` into `127.0.0.1` and `[::ffff:127.0.0.1]` into
 * `[::ffff:7f00:1]`, so entries and connection URLs are compared in one spelling.
 */
export function canonicalHost(host: string): string | undefined {
  const bare = host.startsWith('[') ? host : isIP(host) === 6 ? `[${host}]` : host;
  try {
    const parsed = new URL(`http://${bare}/`);
    return parsed.hostname || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Parses `host[:port]` entries separated by commas (spaces allowed): `sandbox:4010`, `127.0.0.1:*`,
 * `[::1]:4020`, `partner.example.com`. Throws an Error naming the first bad entry.
 */
export function parseAllowHosts(raw: string | undefined): AllowedHost[] {
  const entries = (raw ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  return entries.map((entry) => {
    const m = ENTRY.exec(entry);
    const host = m?.[1] ? canonicalHost(m[1]) : undefined;
    if (!m || !host) throw new Error(`"${entry}" is not host[:port] (a DNS name, an IPv4 address or a bracketed IPv6 address; port a number or *)`);
    const port = m[2] === undefined ? 'default' : m[2] === '*' ? '*' : Number(m[2]);
    if (typeof port === 'number' && (port < 1 || port > 65535)) throw new Error(`"${entry}": port must be 1-65535 or *`);
    return { host, port };
  });
}

/** The port a URL connects to (its own, else its scheme's default). */
export function effectivePort(protocol: string, port: string | number | undefined): number {
  const n = Number(port);
  if (port !== undefined && port !== '' && Number.isInteger(n) && n > 0) return n;
  return protocol === 'https:' ? 443 : 80;
}

/** True when the allow-list names this host (canonical form) on this port. */
export function isAllowed(list: readonly AllowedHost[], host: string, port: number, protocol: string): boolean {
  const canonical = canonicalHost(host);
  if (!canonical) return false;
  return list.some((e) => e.host === canonical
    && (e.port === '*' || e.port === port || (e.port === 'default' && port === effectivePort(protocol, undefined))));
}
