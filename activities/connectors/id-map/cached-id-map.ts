import { sourceKeyString, type IdMapEntry, type IdMapStore, type SourceKey, type TargetRef } from './id-map.ts';

export interface PrefetchingIdMap extends IdMapStore {
  /**
   * Reads the keys in one bulk call so the writes about to happen find their answers here. A key
   * found absent is remembered once: the next `get` of it answers "absent" without asking the
   * store (as if it had read at prefetch time), later ones ask again.
   */
  prefetch(keys: readonly SourceKey[]): Promise<void>;
}

export interface CachedIdMapOptions {
  /** Present entries kept (oldest dropped first), so a 1M-record job keeps flat memory. */
  maxEntries?: number;
  /** A prefetched absence older than this is not trusted any more. */
  absentTtlMs?: number;
  now?: () => number;
}

/**
 * A read-through cache in front of an id map. Sound because id-map rows are insert-only but for
 * `replace` (a note replaced by a new one, rare): once a key is held, its target does not change,
 * so a cached entry answers `get` and `put` (insert-if-absent returns the holder) exactly as the
 * store would. Another process's cache may still name a replaced note's old id; writers of notes
 * read the note itself before trusting it (attio-notes.ts). Absences are not cached, except the one-shot
 * answers of `prefetch` (a get is advisory: writers converge through `put` whatever it said).
 */
export function createCachedIdMap(inner: IdMapStore, options: CachedIdMapOptions = {}): PrefetchingIdMap {
  const maxEntries = options.maxEntries ?? 100_000;
  const absentTtlMs = options.absentTtlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const present = new Map<string, TargetRef>();
  const absent = new Map<string, number>();

  // Eviction drops the oldest tenth in one pass: V8 leaves a deleted Map entry as a hole until the
  // next rehash and every new iterator walks the holes, so evicting one key per insert (a fresh
  // `keys().next()` each time) cost O(holes) per record once the cache was full.
  const evictBatch = Math.max(1, Math.ceil(maxEntries / 10));
  const remember = (key: string, ref: TargetRef): void => {
    absent.delete(key);
    if (present.has(key)) return;
    if (present.size >= maxEntries) {
      let n = evictBatch;
      for (const old of present.keys()) {
        present.delete(old);
        if ((n -= 1) === 0) break;
      }
    }
    present.set(key, ref);
  };

  const dropStaleAbsences = (): void => {
    const cutoff = now() - absentTtlMs;
    for (const [key, at] of absent) {
      if (at >= cutoff) break;
      absent.delete(key);
    }
  };

  return {
    async get(keys) {
      const out = new Map<string, TargetRef>();
      const ask: SourceKey[] = [];
      const cutoff = now() - absentTtlMs;
      for (const key of keys) {
        const k = sourceKeyString(key);
        const hit = present.get(k);
        if (hit) {
          out.set(k, hit);
          continue;
        }
        const at = absent.get(k);
        if (at !== undefined) {
          absent.delete(k);
          if (at >= cutoff) continue;
        }
        ask.push(key);
      }
      if (ask.length > 0) {
        for (const [k, ref] of await inner.get(ask)) {
          remember(k, ref);
          out.set(k, ref);
        }
      }
      return out;
    },
    async put(entries: readonly IdMapEntry[], putOptions) {
      const out = new Map<string, TargetRef>();
      const send: IdMapEntry[] = [];
      for (const entry of entries) {
        const k = sourceKeyString(entry.source);
        const hit = present.get(k);
        if (hit) out.set(k, hit);
        else send.push(entry);
      }
      if (send.length > 0) {
        for (const [k, ref] of await inner.put(send, putOptions)) {
          remember(k, ref);
          out.set(k, ref);
        }
      }
      return out;
    },
    async replace(source, expected, target, replaceOptions) {
      const k = sourceKeyString(source);
      const held = await inner.replace(source, expected, target, replaceOptions);
      present.delete(k);
      if (held) remember(k, held);
      return held;
    },
    async prefetch(keys) {
      dropStaleAbsences();
      const ask = keys.filter((key) => !present.has(sourceKeyString(key)));
      if (ask.length === 0) return;
      const found = await inner.get(ask);
      const at = now();
      for (const key of ask) {
        const k = sourceKeyString(key);
        const ref = found.get(k);
        if (ref) remember(k, ref);
        else {
          // Re-inserted at the end, so the map stays in time order for dropStaleAbsences.
          absent.delete(k);
          absent.set(k, at);
        }
      }
    },
  };
}
