import { CONNECTOR_NAMES, OFFICIAL_BASE_URLS } from '../pairs/index.ts';
import { normalizeBaseUrl, type ConnectionType } from '../connections/connection-model.ts';
import { effectivePort, isAllowed, type AllowedHost } from './allow-list.ts';

/**
 * Where a tenant's connections may point: the official base URLs of their connector type, or a host
 * the operator allow-listed. Decided on names alone (no DNS), so the API can answer at once; the
 * worker's dispatcher checks the addresses a name resolves to when it connects (outbound-dispatcher.ts).
 */
export interface OutboundPolicy {
  readonly allowHosts: readonly AllowedHost[];
  /** Each connector type's official base URLs (the vendors' table unless a test replaced it). */
  readonly officialBaseUrls: Readonly<Record<ConnectionType, readonly string[]>>;
  /** The base URL as stored, or the reason a connection of this type may not use it (tenant-safe words). */
  checkBaseUrl(type: ConnectionType, raw: string): { url: string } | { problem: string };
  /** True when the operator's allow-list names this host on this port (its addresses are then not checked). */
  allowListed(host: string, port: number, protocol: string): boolean;
  /**
   * A regular expression (anchored source, no flags) that the base URLs of `type` this policy accepts
   * match, and that every match satisfies: what the OpenAPI document declares for `baseUrl`.
   */
  baseUrlPattern(type: ConnectionType): string;
  /** What `type` accepts, in words for the API document. */
  describe(type: ConnectionType): string;
}

export interface OutboundPolicyOptions {
  allowHosts: readonly AllowedHost[];
  /** Replaces the vendors' table (tests that stand a local server in for an official host). */
  officialBaseUrls?: Readonly<Record<ConnectionType, readonly string[]>>;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** 1-65535 without leading zeros: exactly the ports the URL parser keeps as written. */
const ANY_PORT = '(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';
/** Path characters that parse as a path and nothing else (RFC 3986 pchar and `/`). */
const PATH = "(?:/[A-Za-z0-9._~!$&'()*+,;=:@%-]*)*";

function allowedPattern(entry: AllowedHost): string {
  const host = escape(entry.host);
  if (entry.port === 'default') return `(?:http://${host}(?::80)?|https://${host}(?::443)?)${PATH}`;
  const port = entry.port === '*' ? ANY_PORT : String(entry.port);
  return `https?://${host}:${port}${PATH}`;
}

export function createOutboundPolicy(options: OutboundPolicyOptions): OutboundPolicy {
  const official = options.officialBaseUrls ?? OFFICIAL_BASE_URLS;
  const allowHosts = options.allowHosts;
  const allowListed = (host: string, port: number, protocol: string): boolean => isAllowed(allowHosts, host, port, protocol);

  return {
    allowHosts,
    officialBaseUrls: official,
    allowListed,
    checkBaseUrl(type, raw) {
      const normalized = normalizeBaseUrl(raw);
      if ('problem' in normalized) return normalized;
      const urls = official[type];
      if (urls.includes(normalized.url)) return normalized;
      const url = new URL(normalized.url);
      if (allowListed(url.hostname, effectivePort(url.protocol, url.port), url.protocol)) return normalized;
      return { problem: `must be the official ${CONNECTOR_NAMES[type]} API (${urls.join(' or ')}); ${url.host} is not allowed by this server's outbound policy` };
    },
    baseUrlPattern(type) {
      const alternatives = [
        ...official[type].map((u) => `${escape(u)}/*`),
        ...allowHosts.map(allowedPattern),
      ];
      return `^(?:${alternatives.join('|')})$`;
    },
    describe(type) {
      const extra = allowHosts.length > 0 ? `, or a host this server's operator allow-listed (${allowHosts.map((h) => (h.port === 'default' ? h.host : `${h.host}:${h.port}`)).join(', ')})` : '';
      return `The official ${CONNECTOR_NAMES[type]} API (${official[type].join(' or ')})${extra}. No credentials, query or fragment.`;
    },
  };
}
