import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createS3, ensureBucket } from '../../shared/s3.ts';
import { installMinio, newMinioCredentials, startMinio } from './minio.ts';
import { portLockFile, withLock } from './lock.ts';
import { startGuard, type StackGuard } from './guard.ts';
import { cacheDir, stackDataDir } from './paths.ts';
import { installPostgres, isPostgresRunning, postmasterRunning, startPostgres, stopPostgres } from './postgres.ts';
import { envFor } from './stack-env.ts';
import { canConnect, isAlive, pickPort, stopProcess } from './run.ts';
import { readState, writeState, type ServiceName, type StackState } from './state.ts';
import { installTemporal, startTemporal } from './temporal.ts';

export type { ServiceName };

export interface StackOptions {
  /** `dev` (npm start) or `test` (npm test): separate data, ports and state. */
  name: string;
  /** Preferred ports (the usual ones for dev); any free port when taken or unset. */
  ports?: { temporal?: number; temporalUi?: number; postgres?: number; minio?: number; minioConsole?: number };
  log: (message: string) => void;
  env?: NodeJS.ProcessEnv;
  /**
   * Watch over what this call starts: if this process (or a launcher named in FREIGHT_OWNER_PIDS)
   * dies without stopping the stack, a reaper process stops it (see guard.ts).
   */
  guard?: boolean;
}

export interface RunningStack {
  dir: string;
  /** Environment for Freight's processes (DATABASE_URL, TEMPORAL_ADDRESS, S3_* ...). */
  env: Record<string, string>;
  /** Services this call started (and so should stop); the others were running already or are external. */
  started: ServiceName[];
  state: StackState;
  /** Present when asked for: record the apps started on top, and dismiss it when stopping in order. */
  guard: StackGuard | undefined;
  urls: { temporalUi: string | undefined; minioConsole: string | undefined };
}

/**
 * Brings up whatever of Temporal, PostgreSQL and S3 is not configured externally: installs the
 * tool if missing, finds an already-running instance of this stack, or starts a new one.
 *
 * All or nothing: when one service cannot be started, the ones this call started are stopped again
 * and the error names the service and its log. Picking ports and binding them happens under a
 * machine-wide lock, so stacks starting at the same moment never pick the same port; a start that
 * still loses a race (to a foreign process, or to a port the dev server picks itself) is retried on
 * fresh ports.
 */
export async function upStack(options: StackOptions): Promise<RunningStack> {
  const env = options.env ?? process.env;
  const dir = stackDataDir(options.name, env);
  const logDir = path.join(dir, 'logs');
  await mkdir(logDir, { recursive: true });
  const state = await readState(dir);
  const started: ServiceName[] = [];
  const p = options.ports ?? {};

  const wantTemporal = !env.TEMPORAL_ADDRESS;
  const wantPostgres = !env.DATABASE_URL;
  const wantMinio = !env.S3_ENDPOINT;

  // Installs are independent and slow on a fresh machine: run them side by side, each under a lock
  // of its own so two checkouts filling one cache at once do not build into the same folder.
  const install = <T>(tool: string, fn: () => Promise<T>): Promise<T> =>
    withLock(path.join(cacheDir(env), `install-${tool}.lock`), `install ${tool}`, fn, {
      onWait: (holder) => options.log(`waiting for ${holder} to finish installing ${tool} ...`),
    });
  const [temporalBin, pgBinDir, minioBin] = await Promise.all([
    wantTemporal ? install('temporal', () => installTemporal(logDir, env)) : undefined,
    wantPostgres ? install('postgres', () => installPostgres(logDir)) : undefined,
    wantMinio ? install('minio', () => installMinio(logDir, env)) : undefined,
  ]);
  if (pgBinDir) state.pgBinDir = pgBinDir;

  const guard = options.guard ? await startGuard(dir, env) : undefined;
  let saving = Promise.resolve();
  // Each service is recorded as soon as it is up, so an owner killed mid-start leaves a state (and a
  // guard) that names it.
  const save = (): Promise<void> => (saving = saving.then(async () => {
    await writeState(dir, state);
    await guard?.setServices(started);
  }));
  try {
    await withLock(portLockFile(), `start stack ${dir}`, async () => {
      const taken = new Set<number>();
      const tasks: Promise<void>[] = [];
      if (temporalBin) {
        const prev = state.temporal;
        if (prev && isAlive(prev.pid) && (await canConnect(prev.port))) {
          options.log(`Temporal already running on :${prev.port}`);
        } else {
          tasks.push(withRetries('Temporal', path.join(logDir, 'temporal.log'), options.log, async (attempt) => {
            const prefer = attempt === 1;
            const port = await pickPort(prefer ? (prev?.port ?? p.temporal) : undefined, taken);
            const uiPort = await pickPort(prefer ? (prev?.uiPort ?? p.temporalUi) : undefined, taken);
            const [httpPort, metricsPort] = [await pickPort(undefined, taken), await pickPort(undefined, taken)];
            state.temporal = await startTemporal({ bin: temporalBin, dataDir: dir, port, uiPort, httpPort, metricsPort });
            started.push('temporal');
            await save();
            options.log(`Temporal dev server started on 127.0.0.1:${port} (Web UI :${uiPort})`);
          }));
        }
      }
      if (pgBinDir) {
        if (await isPostgresRunning(state.postgres)) {
          options.log(`PostgreSQL already running on :${state.postgres?.port}`);
        } else {
          tasks.push(withRetries('PostgreSQL', state.postgres?.logFile ?? path.join(logDir, 'postgres.log'), options.log, async (attempt) => {
            const port = await pickPort(attempt === 1 ? (state.postgres?.port ?? p.postgres) : undefined, taken);
            state.postgres = await startPostgres({ binDir: pgBinDir, stackDir: dir, port, previous: state.postgres });
            started.push('postgres');
            await save();
            options.log(`PostgreSQL started on :${port}`);
          }));
        }
      }
      if (minioBin) {
        const prev = state.minio;
        if (prev && isAlive(prev.pid) && (await canConnect(prev.port))) {
          options.log(`MinIO already running on :${prev.port}`);
        } else {
          const credentials = prev ?? newMinioCredentials();
          tasks.push(withRetries('MinIO', path.join(logDir, 'minio.log'), options.log, async (attempt) => {
            const prefer = attempt === 1;
            const port = await pickPort(prefer ? (prev?.port ?? p.minio) : undefined, taken);
            const consolePort = await pickPort(prefer ? (prev?.consolePort ?? p.minioConsole) : undefined, taken);
            state.minio = await startMinio({ bin: minioBin, stackDir: dir, port, consolePort, credentials });
            started.push('minio');
            await save();
            options.log(`MinIO started on :${port} (console :${consolePort})`);
          }));
        }
      }
      const results = await Promise.allSettled(tasks);
      const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failures.length > 0) throw new Error(failures.map((f) => (f.reason instanceof Error ? f.reason.message : String(f.reason))).join('\n'));
    }, { onWait: (holder) => options.log(`waiting for ${holder} to finish starting servers ...`) });

    await save();
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
      guard,
      urls: {
        temporalUi: stackEnv.TEMPORAL_UI_URL,
        minioConsole: state.minio && wantMinio ? `http://127.0.0.1:${state.minio.consolePort}` : undefined,
      },
    };
  } catch (err) {
    await saving;
    if (started.length > 0) {
      const stopped = await stopServices(dir, started);
      options.log(`start failed: stopped ${stopped.join(', ') || 'nothing'} again`);
    }
    await guard?.dismiss();
    throw err;
  }
}

const START_ATTEMPTS = 3;

/** Runs a service's start up to three times (fresh ports after the first); the last error names its log. */
async function withRetries(what: string, logFile: string, log: (m: string) => void, start: (attempt: number) => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await start(attempt);
      return;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (attempt >= START_ATTEMPTS) throw new Error(`${what} failed to start (${attempt} attempts): ${reason}; log: ${logFile}`);
      log(`${what} did not start (attempt ${attempt}: ${reason.split('\n')[0]}); trying again on other ports`);
    }
  }
}

/** Stops the named services of a stack (all by default), in reverse dependency order. */
export async function downStack(name: string, only?: ServiceName[], env: NodeJS.ProcessEnv = process.env): Promise<ServiceName[]> {
  return stopServices(stackDataDir(name, env), only);
}

/** Stops the services of the stack in `dir` whose processes its state names. */
export async function stopServices(dir: string, only?: ServiceName[]): Promise<ServiceName[]> {
  const state = await readState(dir);
  const want = (s: ServiceName): boolean => !only || only.includes(s);
  const stopped: ServiceName[] = [];
  const stops: Promise<void>[] = [];
  if (want('temporal') && state.temporal && isAlive(state.temporal.pid)) {
    stops.push(stopProcess(state.temporal.pid));
    stopped.push('temporal');
  }
  if (want('minio') && state.minio && isAlive(state.minio.pid)) {
    stops.push(stopProcess(state.minio.pid));
    stopped.push('minio');
  }
  if (want('postgres') && state.postgres && state.pgBinDir && (await postmasterRunning(state.postgres))) {
    stops.push(stopPostgres(state.pgBinDir, state.postgres));
    stopped.push('postgres');
  }
  await Promise.all(stops);
  return stopped;
}
