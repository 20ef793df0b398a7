/**
 * Maps items with at most `limit` calls in flight, keeping input order in the output.
 * The first rejection stops new calls and is rethrown once in-flight calls settle.
 */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failed === undefined && next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () => worker()));
  if (failed) throw failed.error;
  return results;
}

/**
 * Runs `fn` for a key only when no other call for the same key is running in this process (calls
 * for other keys run freely). For targets without upsert: two attempts of one batch (a retry after
 * a missed heartbeat while the first still runs) then look up and create one after the other, and
 * the second finds what the first created instead of duplicating it.
 */
export function createKeyedLock() {
  const tails = new Map<string, Promise<unknown>>();
  return async function withKey<R>(key: string, fn: () => Promise<R>): Promise<R> {
    const before = tails.get(key) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(fn);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
