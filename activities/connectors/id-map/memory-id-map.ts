import { sourceKeyString, type IdMapEntry, type IdMapStore, type SourceKey, type TargetRef } from './id-map.ts';

export interface MemoryIdMap extends IdMapStore {
  /** Every entry, for persisting to a file or asserting in tests. */
  entries(): IdMapEntry[];
}

/** In-memory id map for unit tests and the plain migration script (which persists `entries()`). */
export function createMemoryIdMap(options: { initial?: readonly IdMapEntry[] } = {}): MemoryIdMap {
  const map = new Map<string, IdMapEntry>();
  for (const entry of options.initial ?? []) map.set(sourceKeyString(entry.source), entry);

  const read = (keys: readonly SourceKey[]): Map<string, TargetRef> => {
    const out = new Map<string, TargetRef>();
    for (const key of keys) {
      const hit = map.get(sourceKeyString(key));
      if (hit) out.set(sourceKeyString(key), hit.target);
    }
    return out;
  };

  return {
    get: (keys) => Promise.resolve(read(keys)),
    put(entries) {
      for (const entry of entries) {
        const k = sourceKeyString(entry.source);
        if (!map.has(k)) map.set(k, { source: { ...entry.source }, target: { ...entry.target } });
      }
      return Promise.resolve(read(entries.map((e) => e.source)));
    },
    replace(source, expected, target) {
      const k = sourceKeyString(source);
      const held = map.get(k);
      if (held && held.target.object === expected.object && held.target.id === expected.id) map.set(k, { source: { ...source }, target: { ...target } });
      return Promise.resolve(map.get(k)?.target);
    },
    entries: () => [...map.values()],
  };
}
