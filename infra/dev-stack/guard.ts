import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from './paths.ts';
import { isAlive, processStartTime, stopProcess } from './run.ts';
import type { ServiceName } from './state.ts';

/** A process named by pid and kernel start time, so a reused pid is never mistaken for it. */
export interface ProcessRef {
  pid: number;
  start: string | undefined;
  name?: string;
}

/**
 * What the reaper of one stack reads on every tick (`<stack>/guard-<pid>.json`): one file per owning
 * process, since a second command may use the same stack (`npm run demo` beside `npm start`) and
 * must neither overwrite nor dismiss the first one's guard.
 */
export interface GuardRecord {
  /** Processes whose death means "nobody is looking after this stack any more". */
  owners: ProcessRef[];
  /** Services started by the owners, stopped by the reaper when an owner dies. */
  services: ServiceName[];
  /** Freight's own processes (API, worker, sandbox) started by the owners. */
  apps: ProcessRef[];
}

export interface StackGuard {
  setServices(services: ServiceName[]): Promise<void>;
  setApps(apps: { pid: number | undefined; name: string }[]): Promise<void>;
  /** The owners stop the stack themselves: the reaper goes away without touching anything. */
  dismiss(): Promise<void>;
}

/** The guard file of the process `pid` in a stack folder. */
export function guardFile(dir: string, pid: number = process.pid): string {
  return path.join(dir, `guard-${pid}.json`);
}

export function refOf(pid: number, name?: string): ProcessRef {
  return { pid, start: processStartTime(pid), ...(name ? { name } : {}) };
}

/** The same process as when it was recorded (not merely some process with its pid). */
export function isSameProcess(ref: ProcessRef): boolean {
  return isAlive(ref.pid) && (ref.start === undefined || processStartTime(ref.pid) === ref.start);
}

/**
 * The pids that own what this process starts: itself, plus the launchers above it that asked for it
 * (`FREIGHT_OWNER_PIDS`, set by infra/bootstrap.mjs for npm and itself), so that `kill -9` of
 * `npm start`, of its launcher or of the command itself all count as "the owner is gone".
 */
export function ownerRefs(env: NodeJS.ProcessEnv = process.env): ProcessRef[] {
  const pids = new Set([process.pid]);
  for (const part of (env.FREIGHT_OWNER_PIDS ?? '').split(',')) {
    const pid = Number(part);
    if (Number.isInteger(pid) && pid > 1 && isAlive(pid)) pids.add(pid);
  }
  return [...pids].map((pid) => refOf(pid));
}

/**
 * Starts the reaper of a stack: a small detached process (its own process group, so a terminal's
 * Ctrl-C does not reach it) that polls the owners and, as soon as one of them is gone without having
 * dismissed it, stops the owners' leftovers: the other owners, the apps and the services they
 * started. A child that outlives a SIGKILLed supervisor is the one thing that cannot be arranged
 * from inside the supervisor, and the servers (Temporal, MinIO, PostgreSQL) cannot watch their
 * parent themselves.
 */
export async function startGuard(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<StackGuard> {
  const file = guardFile(dir);
  const record: GuardRecord = { owners: ownerRefs(env), services: [], apps: [] };
  let writing = Promise.resolve();
  let dismissed = false;
  const save = (): Promise<void> => (writing = writing.then(async () => {
    if (dismissed) return;
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(record), { mode: 0o600 });
    await rename(tmp, file);
  }));
  await mkdir(path.join(dir, 'logs'), { recursive: true });
  await save();
  const fd = openSync(path.join(dir, 'logs', 'reaper.log'), 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'infra', 'dev-stack', 'reaper.ts'), dir, file], {
    cwd: REPO_ROOT, detached: true, stdio: ['ignore', fd, fd], env: { ...env, FREIGHT_OWNER_PIDS: '' },
  });
  child.unref();
  return {
    async setServices(services) {
      record.services = [...services];
      await save();
    },
    async setApps(apps) {
      record.apps = apps.filter((a): a is { pid: number; name: string } => a.pid !== undefined).map((a) => refOf(a.pid, a.name));
      await save();
    },
    async dismiss() {
      await writing;
      dismissed = true;
      await rm(file, { force: true });
      if (child.pid) await stopProcess(child.pid, 2_000);
    },
  };
}

export async function readGuard(file: string): Promise<GuardRecord | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as GuardRecord;
  } catch {
    return undefined;
  }
}
