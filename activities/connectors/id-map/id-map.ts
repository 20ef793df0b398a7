/**
 * The id map remembers which target record a source record became, for everything the target
 * cannot upsert on a natural key (companies without domain, people without email, notes, list
 * entries) and for reference resolution. Keyed by (tenant, scope, source_kind, source_id); the
 * tenant and scope are fixed when the store is created.
 */
export interface SourceKey {
  /** Source kind in the singular: organization, person, opportunity, note, list, list_entry... */
  kind: string;
  id: string;
}

export interface TargetRef {
  /** Target object slug (companies, people, deals) or a pseudo object (note, list, list_entry). */
  object: string;
  id: string;
}

export interface IdMapEntry {
  source: SourceKey;
  target: TargetRef;
}

export interface IdMapStore {
  /** Bulk lookup; keys absent from the map are absent from the result (key = `sourceKeyString`). */
  get(keys: readonly SourceKey[]): Promise<Map<string, TargetRef>>;
  /**
   * Bulk insert-if-absent. Returns what the map holds afterwards for every key: when a concurrent
   * writer got there first, its target wins and callers must use it (they converge on one record).
   */
  put(entries: readonly IdMapEntry[], options?: { jobId?: string }): Promise<Map<string, TargetRef>>;
  /**
   * Compare-and-set: points `source` at `target` only while the map still holds `expected`. For a
   * target record that cannot be edited in place (an Attio note) and is replaced by a new one.
   * Returns what the map holds afterwards (undefined when the key is absent).
   */
  replace(source: SourceKey, expected: TargetRef, target: TargetRef, options?: { jobId?: string }): Promise<TargetRef | undefined>;
}

export function sourceKeyString(key: SourceKey): string {
  return `${key.kind}:${key.id}`;
}
