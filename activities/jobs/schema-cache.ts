import type { PreparedInfo } from '../pairs/pair.ts';
import type { JobConnectors } from './job-connectors.ts';

const CACHE_LIMIT = 64;

/**
 * What the pair's mapping needs and the target schema it writes into, prepared once per job per
 * process: the first call has the pair read the source schema and ensure the target's (idempotent:
 * only what is missing is created); later batches reuse the result. After a worker restart the
 * first batch simply prepares it again.
 */
export function createSchemaCache() {
  const cache = new Map<string, Promise<PreparedInfo>>();

  return {
    get(jobId: string, connectors: JobConnectors, dryRun: boolean, signal?: AbortSignal): Promise<PreparedInfo> {
      let entry = cache.get(jobId);
      if (!entry) {
        if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
        entry = connectors.runtime.prepare(signal ? { dryRun, signal } : { dryRun });
        entry.catch(() => cache.delete(jobId));
        cache.set(jobId, entry);
      }
      return entry;
    },
  };
}

export type SchemaCache = ReturnType<typeof createSchemaCache>;
