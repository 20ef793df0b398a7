import { AFFINITY, AFFINITY_ATTIO, ATTIO } from './affinity-attio.ts';
import { PROCESS_STREET, PROCESS_STREET_TALLYFY, TALLYFY } from './process-street-tallyfy.ts';
import type { ConnectorTypeData, PairData, PhaseData } from './pair-data.ts';

export type { ConnectorTypeData, ObjectKindData, PairData, PhaseData } from './pair-data.ts';

/** Every connector type, one line each (a new pair adds its types here). */
export const CONNECTOR_TYPES = [AFFINITY, ATTIO, PROCESS_STREET, TALLYFY] as const;

/** Every connector pair's data, one line each (a new pair adds its data here). */
export const PAIRS: readonly PairData[] = [AFFINITY_ATTIO, PROCESS_STREET_TALLYFY];

export type ConnectionType = (typeof CONNECTOR_TYPES)[number]['type'];
export const CONNECTION_TYPES = CONNECTOR_TYPES.map((t) => t.type) as [ConnectionType, ...ConnectionType[]];

/** The pair a job runs when none is asked for (the demo's default). */
export const DEFAULT_PAIR_ID = AFFINITY_ATTIO.id;

export function connectorType(type: ConnectionType): ConnectorTypeData<ConnectionType> {
  const found = CONNECTOR_TYPES.find((t) => t.type === type);
  if (!found) throw new Error(`unknown connector type ${type}`);
  return found;
}

export function isConnectionType(value: unknown): value is ConnectionType {
  return typeof value === 'string' && (CONNECTION_TYPES as readonly string[]).includes(value);
}

/** The pair that moves data from `source` to `target`, if Freight has one. */
export function pairFor(source: string, target: string): PairData | undefined {
  return PAIRS.find((p) => p.source === source && p.target === target);
}

export function pairById(id: string): PairData | undefined {
  return PAIRS.find((p) => p.id === id);
}

/** Every object kind any pair has, deduplicated, in the pairs' order (API enums, filters). */
export const ALL_OBJECT_KINDS: readonly string[] = [...new Set(PAIRS.flatMap((p) => p.objects.map((o) => o.kind)))];
export const ALL_PHASE_NAMES: readonly string[] = [...new Set(PAIRS.flatMap((p) => p.phases.map((ph) => ph.name)))];

/** The pair's object kinds in dependency order. */
export function pairObjects(pair: PairData): string[] {
  return pair.objects.map((o) => o.kind);
}

export function phaseOf(pair: PairData, name: string): PhaseData | undefined {
  return pair.phases.find((p) => p.name === name);
}

/**
 * Each connector type's official base URLs: the only addresses a tenant's connection may point at,
 * unless the operator's allow-list admits another host (FREIGHT_OUTBOUND_ALLOW_HOSTS, for the
 * sandboxes of dev, test and demo stacks).
 */
export const OFFICIAL_BASE_URLS = Object.fromEntries(CONNECTOR_TYPES.map((t) => [t.type, t.officialBaseUrls])) as Readonly<Record<ConnectionType, readonly string[]>>;

/** Display names of the connector types, for messages tenants read. */
export const CONNECTOR_NAMES = Object.fromEntries(CONNECTOR_TYPES.map((t) => [t.type, t.displayName])) as Readonly<Record<ConnectionType, string>>;
