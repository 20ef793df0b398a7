import path from 'node:path';
import { inject } from 'vitest';
import { installMinio, startMinio } from '../../infra/dev-stack/minio.ts';
import { stackDataDir } from '../../infra/dev-stack/paths.ts';
import { startPostgres, stopPostgres } from '../../infra/dev-stack/postgres.ts';
import { sleep, stopProcess } from '../../infra/dev-stack/run.ts';
import { readState, writeState, type StackState } from '../../infra/dev-stack/state.ts';
import { installTemporal, startTemporal } from '../../infra/dev-stack/temporal.ts';

/**
 * Stop/start of the test stack's own servers (the chaos suite's faults), through the dev-stack code
 * that started them: same ports, same data, and the new pids written back to the stack's state so
 * the global teardown stops the restarted processes.
 */
async function ownStack(service: 'temporal' | 'postgres' | 'minio'): Promise<{ dir: string; state: StackState }> {
  const dir = stackDataDir(inject('stackName'));
  const state = await readState(dir);
  const env = inject('stackEnv');
  const own = {
    temporal: state.temporal && env.TEMPORAL_ADDRESS === `127.0.0.1:${state.temporal.port}`,
    postgres: state.postgres && env.DATABASE_URL?.includes(`@127.0.0.1:${state.postgres.port}/`),
    minio: state.minio && env.S3_ENDPOINT === `http://127.0.0.1:${state.minio.port}`,
  }[service];
  if (!own) throw new Error(`the test stack does not run ${service} itself (it is configured externally): cannot restart it`);
  return { dir, state };
}

/** Stops the Temporal dev server (SIGTERM, then SIGKILL after a grace) and starts it on the same port and SQLite file. */
export async function restartTemporal(): Promise<void> {
  const { dir, state } = await ownStack('temporal');
  const t = state.temporal!;
  await stopProcess(t.pid);
  const bin = await installTemporal(path.join(dir, 'logs'));
  state.temporal = await startTemporal({ bin, dataDir: dir, port: t.port, uiPort: t.uiPort });
  await writeState(dir, state);
}

/** `pg_ctl stop -m fast` (every connection is cut), `downMs` later the same cluster started again on its port. */
export async function restartPostgres(downMs = 0): Promise<void> {
  const { dir, state } = await ownStack('postgres');
  const pg = state.postgres!;
  if (!state.pgBinDir) throw new Error('the stack state has no PostgreSQL binaries');
  await stopPostgres(state.pgBinDir, pg);
  // An outage, not a blip: everything that needs the database fails meanwhile (a failover's length).
  if (downMs > 0) await sleep(downMs);
  state.postgres = await startPostgres({ binDir: state.pgBinDir, stackDir: dir, port: pg.port, previous: pg });
  await writeState(dir, state);
}

/** Stops MinIO, keeps it down for `downMs`, then starts it on the same port, data and credentials. */
export async function pauseMinio(downMs: number): Promise<void> {
  const { dir, state } = await ownStack('minio');
  const m = state.minio!;
  await stopProcess(m.pid);
  await sleep(downMs);
  const bin = await installMinio(path.join(dir, 'logs'));
  state.minio = await startMinio({ bin, stackDir: dir, port: m.port, consolePort: m.consolePort, credentials: m });
  await writeState(dir, state);
}
