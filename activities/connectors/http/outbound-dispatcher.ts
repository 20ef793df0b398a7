import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import type { Logger } from '../../../shared/logger.ts';
import { effectivePort } from '../../../shared/outbound/allow-list.ts';
import { nonPublicReason } from '../../../shared/outbound/ip-address.ts';
import type { OutboundPolicy } from '../../../shared/outbound/outbound-policy.ts';

/** Resolves a host name to every address it has (tests map names to addresses of their choice). */
export type HostLookup = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const systemLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * A connection the outbound policy refused. `reason` is safe to show the tenant (it names the host
 * and the kind of address, not the address); the address itself goes to the operator's log.
 */
export class OutboundRefusedError extends Error {
  readonly code = 'FREIGHT_OUTBOUND_REFUSED';
  constructor(readonly reason: string) {
    super(`refused by the outbound policy: ${reason}`);
    this.name = 'OutboundRefusedError';
  }
}

/** The OutboundRefusedError anywhere in an error's cause chain (undici may wrap what a connector throws). */
export function outboundRefusal(error: unknown): OutboundRefusedError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    if (e instanceof OutboundRefusedError) return e;
  }
  return undefined;
}

export interface GuardedConnectorOptions {
  policy: Pick<OutboundPolicy, 'allowListed'>;
  lookup?: HostLookup;
  logger?: Logger;
  /** Options of undici's own connector (timeouts, TLS). */
  connect?: buildConnector.BuildOptions;
  /** The connector that opens sockets once an address is checked (tests watch where sockets go). */
  baseConnector?: buildConnector.connector;
}

/**
 * An undici connector that opens a socket only to a checked address. Hosts the operator allow-listed
 * connect as usual. Any other host is resolved here, refused if any of its addresses is not public
 * (loopback, private, CGNAT, link-local and metadata, unique-local, multicast, unspecified, reserved;
 * IPv4 inside IPv6 judged by its IPv4 address), and otherwise connected to the address that was
 * checked — never resolved again by the socket — with TLS still verifying the host name (SNI and
 * certificate). Every new connection repeats the check, so a DNS answer that changes later
 * (rebinding) cannot slip an internal address in.
 */
export function createGuardedConnector(options: GuardedConnectorOptions): buildConnector.connector {
  const base = options.baseConnector ?? buildConnector(options.connect ?? {});
  const lookup = options.lookup ?? systemLookup;

  const checkedAddress = async (host: string): Promise<string> => {
    const literal = isIP(host) !== 0;
    const addresses = literal ? [{ address: host }] : await lookup(host);
    if (addresses.length === 0) throw new OutboundRefusedError(`${host} has no address`);
    for (const { address } of addresses) {
      const reason = nonPublicReason(address);
      if (reason === null) continue;
      options.logger?.warn({ host, address, reason }, 'outbound call refused: host resolves to a non-public address');
      throw new OutboundRefusedError(literal ? `${host} is a ${reason} address` : `${host} resolves to a ${reason} address`);
    }
    return (addresses[0] as { address: string }).address;
  };

  return (opts, callback) => {
    // undici passes IPv6 literals without brackets; the allow-list compares canonical forms.
    const host = opts.hostname.replace(/^\[(.*)\]$/, '$1');
    if (options.policy.allowListed(host, effectivePort(opts.protocol, opts.port), opts.protocol)) {
      base(opts, callback);
      return;
    }
    checkedAddress(host).then(
      (address) => base({ ...opts, hostname: address, ...(isIP(host) === 0 ? { servername: opts.servername ?? host } : {}) }, callback),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), null),
    );
  };
}

export interface OutboundDispatcherOptions extends GuardedConnectorOptions {
  /** Connections per origin (many concurrent writes must not queue for a socket). */
  connections?: number;
}

/**
 * The process-wide keep-alive pool every tenant connector sends through, with the guarded connector.
 * undici's `request` follows no redirect, so no hop can lead anywhere unchecked.
 */
export function createOutboundDispatcher(options: OutboundDispatcherOptions): Dispatcher {
  return new Agent({
    connections: options.connections ?? 256,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connect: createGuardedConnector(options),
  });
}
