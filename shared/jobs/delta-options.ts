/**
 * A delta pass (issue 17 item 2): a job that follows an earlier job of the same connections and
 * moves only source records new or changed since then. Kept in the job's `options.delta`.
 */
export const ON_CONFLICT = ['keep-target', 'take-source'] as const;
export type OnConflict = (typeof ON_CONFLICT)[number];

/** Which records a delta compares with the target for edits made there: every one it wrote before, or only those changed at the source. */
export const TARGET_EDITS = ['all', 'changed'] as const;
export type TargetEdits = (typeof TARGET_EDITS)[number];

/**
 * Whether a delta asks the source for changed records only where the source can filter (`changes`:
 * Affinity's notes since the followed job began reading them), or reads every record (`off`: when a
 * change the filter cannot see is suspected, such as a reply or an attachment on an old note).
 */
export const SOURCE_FILTERS = ['changes', 'off'] as const;
export type SourceFilter = (typeof SOURCE_FILTERS)[number];

export interface DeltaOptions {
  /** The job this delta follows (finished, same tenant, same connections). */
  follows: string;
  /** A target record edited since Freight wrote it: leave it (default) or write the source anyway. Both are listed. */
  onConflict: OnConflict;
  /**
   * `all` (default): a record unchanged at the source is read from the target too (one read each),
   * so an edit made only in the target is listed as a conflict. `changed`: only records changed at
   * the source are read (cheaper; target-only edits go unnoticed). Absent in jobs created before it: `all`.
   */
  targetEdits?: TargetEdits;
  /** Absent in jobs created before it: `changes`. */
  sourceFilter?: SourceFilter;
}

/** Record-log actions of a delta besides the writes' own (created, updated, unchanged). */
export const DELTA_ACTIONS = {
  /** The target was edited since Freight wrote the record; left as the target has it. */
  conflictKept: 'conflict_kept_target',
  /** The target was edited since Freight wrote the record; the source was written over it. */
  conflictTaken: 'conflict_took_source',
  /** Changed at the source, but the target cannot update it (an Attio note: no update endpoint); pending. */
  notUpdated: 'not_updated',
} as const;
