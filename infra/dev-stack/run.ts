import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import net from 'node:net';

/** Runs a command to completion; throws with its output tail when it fails. */
export function runChecked(cmd: string, args: string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw new Error(`${cmd} could not run: ${result.error.message}`);
  if (result.status !== 0) {
    const out = `${String(result.stdout ?? '')}\n${String(result.stderr ?? '')}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}:\n${out}`);
  }
  return String(result.stdout ?? '');
}

/** Finds a command on PATH (or returns undefined). */
export function which(cmd: string): string | undefined {
  const result = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  const found = result.stdout.trim();
  return result.status === 0 && found ? found : undefined;
}

export async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a long-running server in its own process group, detached from ours, output appended to a
 * log file. Detached so that a terminal Ctrl-C reaches only the supervisor, which then stops each
 * service in order instead of all of them dying at once.
 */
export function spawnService(cmd: string, args: string[], logFile: string, env: NodeJS.ProcessEnv = process.env): number {
  const fd = openSync(logFile, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd], env });
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
  return child.pid;
}

export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive, but another user's (e.g. PostgreSQL's server user seen by a non-root caller).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie (exited, not yet reaped by its parent) answers signal 0 but serves nothing.
  return processState(pid) !== 'Z';
}

function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/**
 * The kernel's start time of a process (clock ticks since boot), so a pid recorded earlier can be
 * told apart from a new process that reuses it. Undefined where /proc is not available.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Sends SIGTERM to the process group, then SIGKILL if it is still there after the grace period. */
export async function stopProcess(pid: number | undefined, graceMs = 10_000): Promise<void> {
  if (!isAlive(pid) || !pid) return;
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) signal('SIGKILL');
  while (isAlive(pid)) await sleep(50);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** An ephemeral port the OS says is free right now. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The preferred port if it is free, otherwise any free port (never two services on one port). */
export async function pickPort(preferred: number | undefined, taken: Set<number>): Promise<number> {
  if (preferred && !taken.has(preferred) && (await isPortFree(preferred))) {
    taken.add(preferred);
    return preferred;
  }
  for (;;) {
    const port = await freePort();
    if (!taken.has(port)) {
      taken.add(port);
      return port;
    }
  }
}

export function canConnect(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A server process that exited before it answered: its start lost a race for a port, or it failed. */
export class ServiceExitedError extends Error {
  constructor(what: string, hint: string) {
    super(`${what} exited during start-up${hint ? ` (${hint})` : ''}`);
    this.name = 'ServiceExitedError';
  }
}

/**
 * Polls `check` until it returns true; fails with the log hint when the deadline passes, and at
 * once when the server's process (`pid`) is gone: an open port then belongs to someone else.
 */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, hint = '', pid?: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pid !== undefined && !isAlive(pid)) throw new ServiceExitedError(what, hint);
    if (await check().catch(() => false)) {
      if (pid !== undefined && !isAlive(pid)) throw new ServiceExitedError(what, hint);
      return;
    }
    await sleep(200);
  }
  throw new Error(`${what} did not become ready within ${Math.round(timeoutMs / 1000)} s${hint ? ` (${hint})` : ''}`);
}

/** Async variant for slow installs, so independent installs can run side by side. */
export function runAsync(cmd: string, args: string[], options: { env?: NodeJS.ProcessEnv; logFile: string; cwd?: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const fd = openSync(options.logFile, 'a');
    const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], env: options.env ?? process.env, cwd: options.cwd });
    child.once('error', (err) => reject(new Error(`${cmd} could not run: ${err.message}`)));
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}; see ${options.logFile}`)),
    );
  });
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}
