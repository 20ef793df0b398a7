import { describe, expect, it } from 'vitest';
import { createCachedIdMap } from './cached-id-map.ts';
import type { IdMapStore } from './id-map.ts';
import { createMemoryIdMap } from './memory-id-map.ts';

/** A memory id map that counts the calls reaching it. */
function counted(): IdMapStore & { gets: number; puts: number; inner: ReturnType<typeof createMemoryIdMap> } {
  const inner = createMemoryIdMap();
  const store = {
    inner, gets: 0, puts: 0,
    get: (keys: Parameters<IdMapStore['get']>[0]) => {
      store.gets += 1;
      return inner.get(keys);
    },
    put: (entries: Parameters<IdMapStore['put']>[0]) => {
      store.puts += 1;
      return inner.put(entries);
    },
    replace: (...args: Parameters<IdMapStore['replace']>) => inner.replace(...args),
  };
  return store;
}

const key = (id: string) => ({ kind: 'person', id });
const entry = (id: string, target: string) => ({ source: key(id), target: { object: 'people', id: target } });

describe('createCachedIdMap', () => {
  it('answers held keys from the cache for get and put, exactly as the store would', async () => {
    const store = counted();
    const map = createCachedIdMap(store);
    expect((await map.put([entry('1', 'p-1')])).get('person:1')?.id).toBe('p-1');
    expect(store.puts).toBe(1);
    // Held: a later put of another target answers the holder without a round trip (insert-if-absent).
    expect((await map.put([entry('1', 'other')])).get('person:1')?.id).toBe('p-1');
    expect((await map.get([key('1')])).get('person:1')?.id).toBe('p-1');
    expect(store.puts).toBe(1);
    expect(store.gets).toBe(0);
    // Not held: asked every time (absences are not cached by get).
    expect((await map.get([key('2')])).size).toBe(0);
    expect((await map.get([key('2')])).size).toBe(0);
    expect(store.gets).toBe(2);
  });

  it('prefetch reads a chunk in one call; each prefetched absence answers one get, then the store is asked again', async () => {
    const store = counted();
    await store.inner.put([entry('1', 'p-1')]);
    const map = createCachedIdMap(store);
    await map.prefetch([key('1'), key('2'), key('3')]);
    expect(store.gets).toBe(1);
    expect((await map.get([key('1')])).get('person:1')?.id).toBe('p-1');
    expect((await map.get([key('2')])).size).toBe(0);
    expect(store.gets).toBe(1);
    // Someone else wrote 2 meanwhile: the one-shot absence is spent, so the next get sees it.
    await store.inner.put([entry('2', 'p-2')]);
    expect((await map.get([key('2')])).get('person:2')?.id).toBe('p-2');
    expect(store.gets).toBe(2);
    // A put after a prefetched absence goes to the store, which decides.
    expect((await map.put([entry('3', 'p-3')])).get('person:3')?.id).toBe('p-3');
    expect(store.puts).toBe(1);
  });

  it('does not trust a prefetched absence past its time to live, and keeps at most maxEntries held keys', async () => {
    let t = 0;
    const store = counted();
    const map = createCachedIdMap(store, { absentTtlMs: 1000, maxEntries: 2, now: () => t });
    await map.prefetch([key('9')]);
    t = 5000;
    await map.get([key('9')]);
    expect(store.gets).toBe(2);
    await map.put([entry('1', 'a'), entry('2', 'b'), entry('3', 'c')]);
    store.gets = 0;
    await map.get([key('1')]);
    expect(store.gets).toBe(1);
    await map.get([key('3')]);
    expect(store.gets).toBe(1);
  });

  it('replace swaps a held target only when it is still the expected one, and the cache follows', async () => {
    const map = createCachedIdMap(counted());
    await map.put([entry('1', 'p-1')]);
    expect(await map.replace(key('1'), { object: 'people', id: 'stale' }, { object: 'people', id: 'p-2' })).toEqual({ object: 'people', id: 'p-1' });
    expect(await map.replace(key('1'), { object: 'people', id: 'p-1' }, { object: 'people', id: 'p-2' })).toEqual({ object: 'people', id: 'p-2' });
    expect((await map.get([key('1')])).get('person:1')?.id).toBe('p-2');
    expect(await map.replace(key('9'), { object: 'people', id: 'x' }, { object: 'people', id: 'y' })).toBeUndefined();
  });
});
