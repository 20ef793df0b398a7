import { inContext } from '../connectors/connector-error.ts';
import { planSchema, type FieldIndex } from '../pairs/affinity-attio/mapping/index.ts';
import type { JobConnectors } from './job-connectors.ts';

export interface PreparedSchema {
  fields: FieldIndex;
  defaultActorId: string | null;
  warnings: string[];
  created: string[];
}

const CACHE_LIMIT = 64;

/**
 * The field index mappers need and the target schema they write into, prepared once per job per
 * process: the first call reads the source's fields and ensures the target schema (idempotent:
 * only missing attributes, options and lists are created); later batches reuse the result.
 * After a worker restart the first batch simply prepares it again.
 */
export function createSchemaCache() {
  const cache = new Map<string, Promise<PreparedSchema>>();

  async function prepare(connectors: JobConnectors, dryRun: boolean, signal?: AbortSignal): Promise<PreparedSchema> {
    // Each side's failures say which side it was: a source 400 here is not the target's problem.
    const schema = await connectors.source.readFieldSchema(signal ? { signal } : undefined).catch((err: unknown) => {
      throw inContext(err, 'reading the source fields');
    });
    const planned = planSchema(schema, connectors.mapping);
    if (dryRun) return { fields: planned.fields, defaultActorId: null, warnings: planned.warnings, created: [] };
    const ensured = await connectors.target.ensureSchema(planned.plan, signal ? { signal } : undefined).catch((err: unknown) => {
      throw inContext(err, 'preparing the target schema');
    });
    return { fields: planned.fields, defaultActorId: ensured.defaultActor?.id ?? null, warnings: planned.warnings, created: ensured.created };
  }

  return {
    get(jobId: string, connectors: JobConnectors, dryRun: boolean, signal?: AbortSignal): Promise<PreparedSchema> {
      let entry = cache.get(jobId);
      if (!entry) {
        if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
        entry = prepare(connectors, dryRun, signal);
        entry.catch(() => cache.delete(jobId));
        cache.set(jobId, entry);
      }
      return entry;
    },
  };
}

export type SchemaCache = ReturnType<typeof createSchemaCache>;
