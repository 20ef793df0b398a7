import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import postgres from 'postgres';
import type { IdMapStore } from '../../activities/connectors/id-map/id-map.ts';
import { createMemoryIdMap, type MemoryIdMap } from '../../activities/connectors/id-map/memory-id-map.ts';
import { createPgIdMap } from '../../activities/connectors/id-map/pg-id-map.ts';

export interface ScriptIdMap {
  store: IdMapStore;
  describe: string;
  /** Persists (file) — a no-op for Postgres, which is durable on every put. */
  save(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The script's id map: Postgres (`freight.id_map`) when DATABASE_URL and FREIGHT_TENANT_ID are set,
 * else the in-memory map persisted to a JSON file between runs.
 */
export async function openScriptIdMap(options: { file: string; scope: string; fresh: boolean }): Promise<ScriptIdMap> {
  const url = process.env.DATABASE_URL;
  const tenantId = process.env.FREIGHT_TENANT_ID;
  if (url && tenantId) {
    const sql = postgres(url, { max: 8, onnotice: () => undefined });
    return {
      store: createPgIdMap({ sql, tenantId, scope: options.scope }),
      describe: `postgres freight.id_map (tenant ${tenantId}, scope ${options.scope})`,
      save: () => Promise.resolve(),
      close: () => sql.end(),
    };
  }
  let map: MemoryIdMap;
  try {
    map = options.fresh ? createMemoryIdMap() : createMemoryIdMap({ initial: JSON.parse(await readFile(options.file, 'utf8')) as [] });
  } catch {
    map = createMemoryIdMap();
  }
  return {
    store: map,
    describe: `in-memory, persisted to ${options.file}`,
    async save() {
      await mkdir(dirname(options.file), { recursive: true });
      await writeFile(options.file, JSON.stringify(map.entries()));
    },
    close: () => Promise.resolve(),
  };
}
