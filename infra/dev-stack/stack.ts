import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createS3, ensureBucket } from '../../shared/s3.ts';
import { installMinio, newMinioCredentials, startMinio } from './minio.ts';
import { stackDataDir } from './paths.ts';
import { appUrl, installPostgres, isPostgresRunning, ownerUrl, startPostgres, stopPostgres } from './postgres.ts';
import { canConnect, isAlive, pickPort, stopProcess } from './run.ts';
import { readState, writeState, type StackState } from './state.ts';
import { installTemporal, startTemporal } from './temporal.ts';

export type ServiceName = 'temporal' | 'postgres' | 'minio';

export interface StackOptions {
  /** `dev` (npm start) or `test` (npm test): separate data, ports and state. */
  name: string;
  /** Preferred ports (the usual ones for dev); any free port when taken or unset. */
  ports?: { temporal?: number; temporalUi?: number; postgres?: number; minio?: number; minioConsole?: number };
  log: (message: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface RunningStack {
  dir: string;
  /** Environment for Freight's processes (DATABASE_URL, TEMPORAL_ADDRESS, S3_* ...). */
  env: Record<string, string>;
  /** Services this call started (and so should stop); the others were running already or are external. */
  started: ServiceName[];
  state: StackState;
  urls: { temporalUi: string | undefined; minioConsole: string | undefined };
}

/**
 * Brings up whatever of Temporal, PostgreSQL and S3 is not configured externally: installs the
 * tool if missing, finds an already-running instance of this stack, or starts a new one.
 */
export async function upStack(options: StackOptions): Promise<RunningStack> {
  const env = options.env ?? process.env;
  const dir = stackDataDir(options.name, env);
  const logDir = path.join(dir, 'logs');
  await mkdir(logDir, { recursive: true });
  const state = await readState(dir);
  const started: ServiceName[] = [];
  const taken = new Set<number>();
  const p = options.ports ?? {};

  const wantTemporal = !env.TEMPORAL_ADDRESS;
  const wantPostgres = !env.DATABASE_URL;
  const wantMinio = !env.S3_ENDPOINT;

  // Installs are independent and slow on a fresh machine: run them side by side.
  const [temporalBin, pgBinDir, minioBin] = await Promise.all([
    wantTemporal ? installTemporal(logDir) : undefined,
    wantPostgres ? installPostgres(logDir) : undefined,
    wantMinio ? installMinio(logDir) : undefined,
  ]);

  const tasks: Promise<void>[] = [];
  if (temporalBin) {
    const prev = state.temporal;
    if (prev && isAlive(prev.pid) && (await canConnect(prev.port))) {
      options.log(`Temporal already running on :${prev.port}`);
    } else {
      const port = await pickPort(prev?.port ?? p.temporal, taken);
      const uiPort = await pickPort(prev?.uiPort ?? p.temporalUi, taken);
      tasks.push(startTemporal({ bin: temporalBin, dataDir: dir, port, uiPort }).then((s) => {
        state.temporal = s;
        started.push('temporal');
        options.log(`Temporal dev server started on :${s.port} (Web UI :${s.uiPort})`);
      }));
    }
  }
  if (pgBinDir) {
    state.pgBinDir = pgBinDir;
    if (await isPostgresRunning(state.postgres)) {
      options.log(`PostgreSQL already running on :${state.postgres?.port}`);
    } else {
      const port = await pickPort(state.postgres?.port ?? p.postgres, taken);
      tasks.push(startPostgres({ binDir: pgBinDir, stackDir: dir, port, previous: state.postgres }).then((s) => {
        state.postgres = s;
        started.push('postgres');
        options.log(`PostgreSQL started on :${s.port}`);
      }));
    }
  }
  if (minioBin) {
    const prev = state.minio;
    if (prev && isAlive(prev.pid) && (await canConnect(prev.port))) {
      options.log(`MinIO already running on :${prev.port}`);
    } else {
      const port = await pickPort(prev?.port ?? p.minio, taken);
      const consolePort = await pickPort(prev?.consolePort ?? p.minioConsole, taken);
      const credentials = prev ?? newMinioCredentials();
      tasks.push(startMinio({ bin: minioBin, stackDir: dir, port, consolePort, credentials }).then((s) => {
        state.minio = s;
        started.push('minio');
        options.log(`MinIO started on :${s.port} (console :${s.consolePort})`);
      }));
    }
  }
  const results = await Promise.allSettled(tasks);
  await writeState(dir, state);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;

  const stackEnv = envFor(state, env);
  await ensureBucket(createS3({
    endpoint: stackEnv.S3_ENDPOINT, region: env.S3_REGION ?? 'us-east-1', bucket: stackEnv.S3_BUCKET ?? 'freight',
    accessKeyId: stackEnv.S3_ACCESS_KEY_ID, secretAccessKey: stackEnv.S3_SECRET_ACCESS_KEY,
    forcePathStyle: true, sse: 'AES256', sseKmsKeyId: undefined,
  }));
  return {
    dir,
    env: stackEnv,
    started,
    state,
    urls: {
      temporalUi: stackEnv.TEMPORAL_UI_URL,
      minioConsole: state.minio && wantMinio ? `http://127.0.0.1:${state.minio.consolePort}` : undefined,
    },
  };
}

/** The variables Freight's config reads, pointing at this stack (external settings win). */
function envFor(state: StackState, env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  const set = (key: string, value: string | undefined): void => {
    if (value !== undefined) out[key] = value;
  };
  if (env.DATABASE_URL) {
    set('DATABASE_URL', env.DATABASE_URL);
    set('DATABASE_MIGRATION_URL', env.DATABASE_MIGRATION_URL);
  } else if (state.postgres) {
    set('DATABASE_URL', appUrl(state.postgres));
    set('DATABASE_MIGRATION_URL', ownerUrl(state.postgres));
  }
  if (env.TEMPORAL_ADDRESS) {
    set('TEMPORAL_ADDRESS', env.TEMPORAL_ADDRESS);
    set('TEMPORAL_UI_URL', env.TEMPORAL_UI_URL);
  } else if (state.temporal) {
    set('TEMPORAL_ADDRESS', `127.0.0.1:${state.temporal.port}`);
    set('TEMPORAL_UI_URL', `http://127.0.0.1:${state.temporal.uiPort}`);
  }
  if (env.S3_ENDPOINT) {
    set('S3_ENDPOINT', env.S3_ENDPOINT);
    set('S3_ACCESS_KEY_ID', env.S3_ACCESS_KEY_ID);
    set('S3_SECRET_ACCESS_KEY', env.S3_SECRET_ACCESS_KEY);
  } else if (state.minio) {
    set('S3_ENDPOINT', `http://127.0.0.1:${state.minio.port}`);
    set('S3_ACCESS_KEY_ID', state.minio.accessKey);
    set('S3_SECRET_ACCESS_KEY', state.minio.secretKey);
  }
  set('S3_BUCKET', env.S3_BUCKET ?? 'freight');
  return out;
}

/** Stops the named services of a stack (all by default), in reverse dependency order. */
export async function downStack(name: string, only?: ServiceName[], env: NodeJS.ProcessEnv = process.env): Promise<ServiceName[]> {
  const dir = stackDataDir(name, env);
  const state = await readState(dir);
  const want = (s: ServiceName): boolean => !only || only.includes(s);
  const stopped: ServiceName[] = [];
  if (want('temporal') && state.temporal && isAlive(state.temporal.pid)) {
    await stopProcess(state.temporal.pid);
    stopped.push('temporal');
  }
  if (want('minio') && state.minio && isAlive(state.minio.pid)) {
    await stopProcess(state.minio.pid);
    stopped.push('minio');
  }
  if (want('postgres') && state.postgres && state.pgBinDir && (await canConnect(state.postgres.port))) {
    await stopPostgres(state.pgBinDir, state.postgres, path.join(dir, 'logs', 'postgres.log'));
    stopped.push('postgres');
  }
  return stopped;
}
