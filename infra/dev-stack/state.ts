import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MinioState } from './minio.ts';
import type { PostgresState } from './postgres.ts';
import type { TemporalState } from './temporal.ts';

/** The servers a stack runs for Freight (unless configured externally). */
export type ServiceName = 'temporal' | 'postgres' | 'minio';

/** What a stack directory remembers between runs: ports, pids and generated credentials. */
export interface StackState {
  temporal?: TemporalState;
  postgres?: PostgresState;
  minio?: MinioState;
  /** Generated admin key of the dev stack (never used when FREIGHT_ADMIN_API_KEY is set). */
  adminApiKey?: string;
  /** Generated FREIGHT_ENCRYPTION_KEYS of the dev stack (connection secrets at rest). */
  encryptionKeys?: string;
  pgBinDir?: string;
}

const FILE = 'stack.json';

export async function readState(stackDir: string): Promise<StackState> {
  try {
    return JSON.parse(await readFile(path.join(stackDir, FILE), 'utf8')) as StackState;
  } catch {
    return {};
  }
}

/** Atomic write, owner-only: the file holds the local services' passwords. */
export async function writeState(stackDir: string, state: StackState): Promise<void> {
  await mkdir(stackDir, { recursive: true });
  const tmp = path.join(stackDir, `${FILE}.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify(state, null, 2), { mode: 0o600 });
  await rename(tmp, path.join(stackDir, FILE));
}
