import type { SourceKey, TargetRef } from '../connector-types.ts';
import type { MappingConfig } from './mapping-config.ts';
import type { FieldIndex } from './schema-plan.ts';

/** Everything a mapper may consult. Mappers are pure: same record + context → same output. */
export interface MapContext {
  config: MappingConfig;
  fields: FieldIndex;
  /** Target of an already-migrated source record (from the id map), undefined when not migrated. */
  resolve: (key: SourceKey) => TargetRef | undefined;
  /** "Now" for date sanity checks, passed in so mapping stays deterministic. */
  now: Date;
  /** Deal owner when the mapping names none: a workspace member id from the target. */
  defaultActorId?: string | null;
}

/**
 * A mapper's answer. `notes` say what was done (for the record log: "attached to person 12, also
 * linked: …"); `warnings` say what was lost or changed on the way (invalid email dropped…).
 * `unresolved` lists referenced records not migrated (yet): organizations and persons reference
 * each other, so a later pass re-writes records whose references became resolvable.
 */
export type MapOutcome<W> =
  | { status: 'ok'; write: W; notes: string[]; warnings: string[]; unresolved?: SourceKey[] }
  | { status: 'skip'; kind: 'not_found' | 'validation'; reason: string; notes: string[]; warnings: string[] };

export function resolverFrom(map: ReadonlyMap<string, TargetRef>): (key: SourceKey) => TargetRef | undefined {
  return (key) => map.get(`${key.kind}:${key.id}`);
}
