import { z } from 'zod';

/**
 * A connector pair described as plain data: what the API, job validation, the dashboard, the
 * configuration and the database know about a pair. No I/O, importable from any process; the
 * runtime half (connectors, mapping, schema plan) lives in activities/pairs/<pair-id>/.
 */

/** One kind of connection a tenant can create (one SaaS API). */
export interface ConnectorTypeData<T extends string = string> {
  type: T;
  /** For messages tenants read. */
  displayName: string;
  /**
   * The base URLs the vendor publishes (reference notes): the only addresses a connection of this
   * type may point at, unless the operator's allow-list admits another host.
   */
  officialBaseUrls: readonly string[];
  /** The secret part of a connection (sealed at rest, never returned); a zod schema of an object. */
  credentials: z.ZodType<Record<string, string>>;
  /** Non-secret settings of a connection (e.g. an organisation id); absent = the type takes none. */
  settings?: z.ZodType<Record<string, unknown>>;
  /** What a connection of this type is for, in the API document ("a job source"). */
  role: string;
  /**
   * Rate limits its connector paces itself to, by name: each read from an environment variable
   * (a positive integer) with the API's documented limit as default (none = the connector decides).
   */
  limits?: Readonly<Record<string, ConnectorLimitData>>;
}

export interface ConnectorLimitData {
  env: string;
  default?: number;
  description: string;
}

export interface ObjectKindData {
  /** The name jobs, batches and the record log use. */
  kind: string;
  displayName: string;
}

/** A named group of object kinds run together, in order (a job may run a subset). */
export interface PhaseData {
  name: string;
  displayName: string;
  objects: readonly string[];
}

export interface PairData<S extends string = string, T extends string = string> {
  /** `<source>-<target>`, the registry key and the folder name under activities/pairs/. */
  id: string;
  source: S;
  target: T;
  displayName: string;
  /** Object kinds in dependency order (later kinds reference earlier ones). */
  objects: readonly ObjectKindData[];
  /** Phases in order; together they name every object kind once. */
  phases: readonly PhaseData[];
  /** Documented limits of the pair, in words (README, API document). */
  limits: readonly string[];
  /** Its writes keep before-images and its runtime can take them back (`POST /v1/jobs/{id}/undo`). */
  undo?: boolean;
  /**
   * Delta passes (mode: delta): the pair's runtime keeps source hashes and after-images (sourceKey,
   * readImage, images on writes). Absent: a delta is refused with 422 `delta_not_supported`.
   */
  delta?: boolean;
}

/** Keeps the literal type of a connector type's name (ConnectionType is derived from them). */
export function defineConnectorType<const T extends string>(data: ConnectorTypeData<T>): ConnectorTypeData<T> {
  return data;
}

export function definePair<const S extends string, const T extends string>(data: PairData<S, T>): PairData<S, T> {
  const kinds = data.objects.map((o) => o.kind);
  const phased = data.phases.flatMap((p) => p.objects);
  // Every object kind in exactly one phase, phases in the objects' order: checked once, at import.
  if (phased.length !== kinds.length || phased.some((k, i) => k !== kinds[i])) {
    throw new Error(`pair ${data.id}: phases must list every object kind once, in dependency order`);
  }
  return data;
}

/** `{ apiKey }`: one API key or token, as Affinity and Attio take it. */
export const apiKeyCredentials = z.strictObject({
  apiKey: z.string().min(1).max(4096).describe('Encrypted at rest (AES-256-GCM); never returned'),
});
