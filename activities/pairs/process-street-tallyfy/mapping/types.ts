import type { PsWorkflow, SourceKey, TargetRef } from '../contract.ts';
import type { PsMappingConfig } from './mapping-config.ts';

/**
 * Everything a mapper of this pair may consult. Mappers are pure: same record + context → same output.
 * `template` hands the run, comment and attachment mappers the workflow a record belongs to (its tasks
 * and fields, matched by order/name and by key): the runtime supplies it from the staged workflow
 * records, preloaded for a page with `templatesNeeded(records)`, so mapping itself does no I/O.
 */
export interface PsMapContext {
  config: PsMappingConfig;
  /** Target of an already-migrated source key (from the id map), undefined when not migrated. */
  resolve: (key: SourceKey) => TargetRef | undefined;
  template: (workflowId: string) => PsWorkflow | undefined;
  /** "Now" for date checks, passed in so mapping stays deterministic. */
  now: Date;
}

/**
 * A mapper's answer. `notes` say what was done; `warnings` what looks wrong in the source;
 * `degraded` what could not be carried faithfully (the record still succeeds, counted in the report);
 * `unresolved` the referenced keys not migrated (yet), so a later pass can re-write the record.
 */
export type PsMapOutcome<W> =
  | { status: 'ok'; write: W; notes: string[]; warnings: string[]; degraded: string[]; unresolved: SourceKey[] }
  | { status: 'skip'; kind: 'not_found' | 'validation'; reason: string; notes: string[]; warnings: string[] };

export function skip(kind: 'not_found' | 'validation', reason: string, warnings: string[] = []): PsMapOutcome<never> {
  return { status: 'skip', kind, reason, notes: [], warnings };
}
