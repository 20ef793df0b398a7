/**
 * Child processes of a benchmark: the sandboxes, the production worker and the production API, each
 * in its own process so that none shares an event loop with the load it measures. Logs (and CPU
 * profiles, with `cpuProf`) go to bench/out/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '../../infra/dev-stack/paths.ts';

export const OUT_DIR = path.join(REPO_ROOT, 'bench', 'out');
mkdirSync(OUT_DIR, { recursive: true });

export interface SandboxInfo {
  affinityUrl: string;
  affinityKey: string;
  attioUrl: string;
  attioToken: string;
  /** Every token of the Attio workspace (the first is attioToken). */
  attioTokens: string[];
  counts: Record<string, number>;
  total: number;
}

export interface Spawned {
  child: ChildProcess;
  name: string;
  logFile: string;
}

/** Starts `node --import tsx <script>` and resolves once a stdout line contains `readyText`. */
function spawnReady(name: string, script: string, scriptArgs: string[], env: NodeJS.ProcessEnv, readyText: string, nodeArgs: string[] = []): Promise<{ spawned: Spawned; line: string }> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const logFile = path.join(OUT_DIR, `${name}-${stamp}.log`);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(REPO_ROOT, script), ...scriptArgs], {
    cwd: REPO_ROOT, env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const file = createWriteStream(logFile);
  child.stderr?.pipe(file);
  return new Promise((resolve, reject) => {
    const early = (code: number | null): void => reject(new Error(`${name} exited early (${code}); see ${logFile}`));
    child.once('exit', early);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    let ready = false;
    lines.on('line', (line) => {
      file.write(`${line}\n`);
      if (ready || !line.includes(readyText)) return;
      ready = true;
      child.off('exit', early);
      resolve({ spawned: { child, name, logFile }, line });
    });
  });
}

export interface SandboxOptions {
  size: number;
  seed: string;
  /** Attio writes per second; null turns every limit off. */
  attioWritesPerSecond: number | null;
  /** Every limit the sandboxes' own default: the vendors' published ones (attioWritesPerSecond is then ignored). */
  realLimits?: boolean;
  poisonRate?: number;
  /** Several tokens of the one Attio workspace (default: the sandbox's one). */
  attioTokens?: string[];
  /** Write a V8 CPU profile of the sandbox process to bench/out/profiles when it stops. */
  cpuProf?: boolean;
}

const profileArgs = (on: boolean): string[] => (on ? ['--cpu-prof', `--cpu-prof-dir=${path.join(OUT_DIR, 'profiles')}`] : []);

/** Both sandboxes in one child process (infra/sandbox/main.ts). */
export async function startSandboxes(o: SandboxOptions): Promise<{ proc: Spawned; info: SandboxInfo }> {
  const limits = o.realLimits ? [] : o.attioWritesPerSecond === null ? ['--no-limits']
    : ['--attio-writes-per-second', String(o.attioWritesPerSecond), '--affinity-per-minute', '1000000', '--affinity-monthly', '100000000', '--attio-reads-per-second', '1000'];
  const { spawned, line } = await spawnReady('sandbox', 'infra/sandbox/main.ts', [
    '--affinity-port', '0', '--attio-port', '0', '--size', String(o.size), '--seed', o.seed, '--log-level', 'info',
    ...(o.poisonRate ? ['--poison-rate', String(o.poisonRate)] : []), ...limits,
    ...(o.attioTokens ? ['--attio-token', o.attioTokens.join(',')] : []),
  ], process.env, 'sandboxes ready', profileArgs(o.cpuProf ?? false));
  const d = JSON.parse(line) as { affinityUrl: string; affinityBasicPassword: string; attioUrl: string; attioBearer: string; attioBearers?: string[]; counts: Record<string, number> };
  const c = d.counts;
  const total = (c.organizations ?? 0) + (c.persons ?? 0) + (c.opportunities ?? 0) + (c.notes ?? 0) + (c.listEntries ?? 0) + (c.opportunityListEntries ?? 0);
  return { proc: spawned, info: { affinityUrl: d.affinityUrl, affinityKey: d.affinityBasicPassword, attioUrl: d.attioUrl, attioToken: d.attioBearer, attioTokens: d.attioBearers ?? [d.attioBearer], counts: c, total } };
}

export interface SandboxFleet {
  proc: Spawned;
  affinityUrl: string;
  affinityKey: string;
  counts: Record<string, number>;
  /** One Attio workspace per tenant. */
  attio: Array<{ url: string; token: string }>;
}

/** One shared Affinity sandbox and `count` Attio sandboxes in one child process (bench/lib/sandbox-fleet.ts). */
export async function startSandboxFleet(o: { count: number; size: number; seed: string }): Promise<SandboxFleet> {
  const { spawned, line } = await spawnReady('sandbox-fleet', 'bench/lib/sandbox-fleet.ts', ['--count', String(o.count), '--size', String(o.size), '--seed', o.seed], process.env, 'sandbox fleet ready');
  const d = JSON.parse(line) as Omit<SandboxFleet, 'proc'>;
  return { proc: spawned, affinityUrl: d.affinityUrl, affinityKey: d.affinityKey, counts: d.counts, attio: d.attio };
}

export interface PsSandboxInfo {
  psUrl: string;
  psKey: string;
  counts: Record<string, unknown>;
  tallyfyUrl: string;
  tallyfyToken: string;
  organizationId: string;
  limits: Record<string, number>;
}

/** The Process Street and Tallyfy sandboxes in one child process, time-compressed by `windowScale` (bench/lib/ps-sandboxes.ts). */
export async function startPsSandboxes(o: { size: number; seed: string; windowScale: number }): Promise<{ proc: Spawned; info: PsSandboxInfo }> {
  const { spawned, line } = await spawnReady('ps-sandboxes', 'bench/lib/ps-sandboxes.ts',
    ['--size', String(o.size), '--seed', o.seed, '--window-scale', String(o.windowScale)], process.env, 'ps sandboxes ready');
  return { proc: spawned, info: JSON.parse(line) as PsSandboxInfo };
}

/** The production worker entrypoint (workers/main.ts). */
export async function startWorker(env: NodeJS.ProcessEnv, cpuProf = false): Promise<Spawned> {
  return (await spawnReady('worker', 'workers/main.ts', [], env, 'worker process ready', profileArgs(cpuProf))).spawned;
}

/** The production API entrypoint (api/main.ts) on `port`. */
export async function startApi(env: NodeJS.ProcessEnv, port: number): Promise<Spawned> {
  return (await spawnReady('api', 'api/main.ts', [], { ...env, PORT: String(port), HOST: '127.0.0.1' }, 'freight api listening')).spawned;
}

export async function stopChild(p: Spawned | undefined): Promise<void> {
  const child = p?.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** CPU seconds (user + system) a process has used so far; Linux only (null elsewhere). */
export function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Resident set size of a process in MB (VmRSS), and its high-water mark (VmHWM); Linux only. */
export function memoryMb(pid: number | undefined): { rss: number; hwm: number } | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { rss: Math.round(kb('VmRSS') / 1024), hwm: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return null;
  }
}

/** Threads of a process (`Threads:` of /proc/<pid>/status); Linux only. */
export function threadCount(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    return Number(/^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  } catch {
    return null;
  }
}

/** Direct children of a process (Linux: /proc/<pid>/task/<pid>/children). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * CPU seconds used so far by the stack's services: Temporal, MinIO, and PostgreSQL (postmaster and
 * its live backends; a backend that exited in between is not counted, the pools keep theirs open).
 */
export function serviceCpuSeconds(stackDir: string): Record<'temporal' | 'minio' | 'postgres', number | null> {
  try {
    const state = JSON.parse(readFileSync(path.join(stackDir, 'stack.json'), 'utf8')) as { temporal?: { pid: number }; minio?: { pid: number } };
    const pm = Number(readFileSync(path.join(stackDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const pg = [pm, ...childrenOf(pm)].map((p) => cpuSeconds(p) ?? 0).reduce((a, b) => a + b, 0);
    return { temporal: cpuSeconds(state.temporal?.pid), minio: cpuSeconds(state.minio?.pid), postgres: Math.round(pg * 10) / 10 };
  } catch {
    return { temporal: null, minio: null, postgres: null };
  }
}
