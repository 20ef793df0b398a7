import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { canonicalHost, effectivePort, type AllowedHost } from '../outbound/allow-list.ts';
import { nonPublicReason } from '../outbound/ip-address.ts';
import type { OutboundPolicy } from '../outbound/outbound-policy.ts';

/**
 * Where a webhook may point. Receivers are the tenant's own servers anywhere on the internet, so
 * unlike connections (official vendor hosts only) any public host name is admitted — over https —
 * plus what the operator allow-listed (`FREIGHT_OUTBOUND_ALLOW_HOSTS`, the same knob as
 * connections; http allowed there). IP literals, `localhost` and single-label names are refused
 * unless allow-listed; at creation the name is also resolved and refused when any address is not
 * public, and at every delivery the outbound dispatcher checks the address it connects to (DNS
 * rebinding: an answer that changes after creation is caught there).
 */

/** A DNS name of two labels at least whose last one is letters: never an IPv4 literal in any spelling. */
const NAME = '(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}';
const NAME_ONLY = new RegExp(`^${NAME}$`);
/** 1-65535 without leading zeros: the ports the URL parser keeps as written. */
const ANY_PORT = '(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';
const PATH = "(?:/[A-Za-z0-9._~!$&'()*+,;=:@%-]*)*";
const QUERY = "(?:\\?[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?";

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function allowedPattern(entry: AllowedHost): string {
  const host = escape(entry.host);
  if (entry.port === 'default') return `(?:http://${host}(?::80)?|https://${host}(?::443)?)${PATH}${QUERY}`;
  return `https?://${host}:${entry.port === '*' ? ANY_PORT : String(entry.port)}${PATH}${QUERY}`;
}

/**
 * The anchored pattern of every URL `checkWebhookUrl` admits (before DNS): what the OpenAPI
 * document declares for `url`. A unit test holds the two to each other.
 */
export function webhookUrlPattern(allowHosts: readonly AllowedHost[]): string {
  return `^(?:https://${NAME}(?::${ANY_PORT})?${PATH}${QUERY}${allowHosts.map((h) => `|${allowedPattern(h)}`).join('')})$`;
}

/** The URL as stored, or why it is refused (tenant-safe words naming the host, never the allow-list). */
export function checkWebhookUrl(raw: string, policy: Pick<OutboundPolicy, 'allowListed'>): { url: string } | { problem: string } {
  if (raw.length > 2000) return { problem: 'at most 2000 characters' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: 'must be an https URL' };
  if (url.username || url.password) return { problem: 'must not contain credentials' };
  if (url.hash) return { problem: 'must not contain a fragment' };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (policy.allowListed(host, effectivePort(url.protocol, url.port), url.protocol)) return { url: url.href };
  if (isIP(host) !== 0) {
    const reason = nonPublicReason(host);
    return { problem: reason ? `${url.hostname} is a ${reason} address` : 'must name a host, not an IP address' };
  }
  if (url.protocol !== 'https:') return { problem: 'must be an https URL' };
  if (!NAME_ONLY.test(host)) return { problem: `${host} is not a public host name` };
  return { url: url.href };
}

export type AddressLookup = (hostname: string) => Promise<Array<{ address: string }>>;

const systemLookup: AddressLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * At creation: the reason the URL's host resolves to a non-public address, or null. A name that
 * does not resolve (yet) or a lookup slower than `timeoutMs` is let through — every delivery checks
 * the addresses it connects to anyway. Allow-listed hosts are not resolved.
 */
export async function resolvedProblem(
  url: string, policy: Pick<OutboundPolicy, 'allowListed'>, options: { lookup?: AddressLookup; timeoutMs?: number } = {},
): Promise<string | null> {
  const parsed = new URL(url);
  const host = canonicalHost(parsed.hostname) ?? parsed.hostname;
  if (policy.allowListed(host, effectivePort(parsed.protocol, parsed.port), parsed.protocol) || isIP(host.replace(/^\[(.*)\]$/, '$1')) !== 0) return null;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => { timer = setTimeout(resolve, options.timeoutMs ?? 3_000, undefined); });
  try {
    const addresses = await Promise.race([(options.lookup ?? systemLookup)(host), timeout]).catch(() => undefined);
    for (const { address } of addresses ?? []) {
      const reason = nonPublicReason(address);
      if (reason) return `${host} resolves to a ${reason} address`;
    }
    return null;
  } finally {
    clearTimeout(timer);
  }
}
