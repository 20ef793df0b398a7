import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../dev-stack/paths.ts';

export interface AppProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Size of the log file when this run started: logs are appended across runs, tails read from here. */
  logStart: number;
  exited: Promise<number | null>;
}

/**
 * Runs one of Freight's own entrypoints (api/main.ts, workers/main.ts, infra/sandbox/main.ts) with
 * its log in a file; `args` are passed to the entrypoint.
 *
 * `node --import tsx`, not the tsx CLI: the CLI sits between us and the app and SIGKILLs it when a
 * relayed signal is not acknowledged within 30 ms, which a busy process misses. Detached (own process
 * group) like the dev-stack services, so a terminal Ctrl-C reaches only the supervisor, which can then
 * still use the API (cancel a job) before it stops the apps in order.
 */
export function startAppProcess(name: string, entry: string, env: NodeJS.ProcessEnv, logDir: string, args: string[] = []): AppProcess {
  const logFile = path.join(logDir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  const logStart = fstatSync(fd).size;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, entry), ...args], {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, child, logFile, logStart, exited };
}

export async function stopAppProcess(p: AppProcess, graceMs = 15_000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  await p.exited;
  clearTimeout(timer);
}

/** The last lines of a log file, from byte `from` on (this run's part). */
export function tail(file: string, lines = 20, from = 0): string {
  try {
    const text = readFileSync(file).subarray(from).toString('utf8').trimEnd();
    return text ? text.split('\n').slice(-lines).join('\n') : '(empty log)';
  } catch {
    return '(no log)';
  }
}

/** The last lines this run of an app wrote to its log. */
export function appTail(p: AppProcess, lines = 20): string {
  return tail(p.logFile, lines, p.logStart);
}
