/**
 * Rate limits the connectors pace themselves to, per connector type: each type declares its own in
 * the pair data (shared/pairs, with the environment variable that overrides it); the worker's config
 * fills them in. A missing number = the connector's default (the API's documented limit).
 */
export interface ConnectorLimits {
  requestTimeoutMs?: number;
  byType?: Readonly<Record<string, Readonly<Record<string, number | undefined>>>>;
}

/** The limits of one connector type, only those set (spread into a client's options). */
export function limitsOf(limits: ConnectorLimits, type: string): Record<string, number> {
  const set = Object.entries(limits.byType?.[type] ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number');
  return Object.fromEntries(set);
}
