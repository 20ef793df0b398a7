import type { ConnectionType } from './connection-model.ts';

/**
 * The base URLs each connector type's vendor publishes (../shared/reference/*-api.md): the only
 * addresses a tenant's connection may point at, unless the operator's allow-list admits another host
 * (FREIGHT_OUTBOUND_ALLOW_HOSTS, for the sandboxes of dev, test and demo stacks).
 *
 * Keyed by every connection type, so a pair added later (Process Street: https://public-api.process.st/api/v1.1;
 * Tallyfy: https://api.tallyfy.com and https://go.tallyfy.com/api) does not compile until its row is here.
 */
export const OFFICIAL_BASE_URLS: Readonly<Record<ConnectionType, readonly string[]>> = {
  // v1 has no version prefix; v2 lives under /v2 of the same host. HTTPS only.
  affinity: ['https://api.affinity.co'],
  // The connector adds /v2 itself.
  attio: ['https://api.attio.com'],
};

/** Display names of the connector types, for messages tenants read. */
export const CONNECTOR_NAMES: Readonly<Record<ConnectionType, string>> = {
  affinity: 'Affinity',
  attio: 'Attio',
};
