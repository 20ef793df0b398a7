import { generateApiKey } from '../../shared/auth/api-key.ts';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DEV_PORTS } from '../dev-stack/cli.ts';
import { portLockFile, withLock } from '../dev-stack/lock.ts';
import { pickPort } from '../dev-stack/run.ts';
import { downStack, upStack, type RunningStack } from '../dev-stack/stack.ts';
import { readState, writeState } from '../dev-stack/state.ts';
import { waitReady } from './api-client.ts';
import { appTail, startAppProcess, type AppProcess } from './processes.ts';
import { sandboxAllowHosts, sandboxSettingsFromEnv, unlimitedConnectorBudgets, type SandboxPorts, type SandboxSettings } from './sandbox-options.ts';
import { startSandbox, type RunningSandbox } from './sandbox-process.ts';
import { createSupervisor, type Supervisor } from './supervisor.ts';

export interface RunningFreight {
  stack: RunningStack;
  baseUrl: string;
  adminKey: string;
  logDir: string;
  /** The API, worker and sandbox processes running now (a restart replaces an entry). */
  apps: AppProcess[];
  /** The process running now under a name (`api`, `worker`, `sandbox`): after a restart, the new one. */
  current(name: string): AppProcess | undefined;
  /** The sandboxes of infra/sandbox/registry.ts (one process), unless turned off. */
  sandbox: RunningSandbox | undefined;
  /** Stops the API, worker and sandbox, then the services this call started (idempotent). */
  stop(): Promise<void>;
}

export interface StartFreightOptions {
  log: (m: string) => void;
  /**
   * What happens when the API, the worker or the sandbox dies on its own once started (a death
   * during start-up fails the start): `restart` (npm start) brings it back with backoff; a function
   * (the demo) is told and decides.
   */
  onCrash: 'restart' | ((name: string, logTail: string) => void);
  /** Sandbox settings; `null` runs none; omitted: from FREIGHT_SANDBOX* (see sandbox-options.ts). */
  sandbox?: SandboxSettings | null;
}

/**
 * The dev stack plus Freight's own API and worker processes and the sandbox APIs, shared by
 * `npm start` and `npm run demo`. Guarded: if this process is killed outright, the stack's reaper
 * stops everything it started (infra/dev-stack/guard.ts).
 */
export async function startFreight(options: StartFreightOptions): Promise<RunningFreight> {
  const sandboxSettings = options.sandbox === undefined ? sandboxSettingsFromEnv(process.env) : options.sandbox;
  const stack = await upStack({ name: 'dev', ports: DEV_PORTS, log: options.log, guard: true });
  let supervisor: Supervisor | undefined;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await supervisor?.stop();
    const down = await downStack('dev', stack.started);
    await stack.guard?.dismiss();
    if (down.length) options.log(`stopped ${down.join(', ')}`);
  };
  try {
    const state = await readState(stack.dir);
    state.adminApiKey ??= generateApiKey('live').plaintext;
    state.encryptionKeys ??= `dev1:${randomBytes(32).toString('base64')}`;
    await writeState(stack.dir, state);
    const adminKey = process.env.FREIGHT_ADMIN_API_KEY ?? state.adminApiKey;
    const logDir = path.join(stack.dir, 'logs');
    supervisor = createSupervisor({ log: options.log, onCrash: options.onCrash, guard: stack.guard });
    // Ports are picked and bound under the machine-wide lock, like the servers': two stacks starting
    // at once would otherwise both take :3000.
    const started = await withLock(portLockFile(), `start Freight in ${stack.dir}`, () =>
      startApps({ supervisor: supervisor!, stack, adminKey, logDir, sandboxSettings, state }));
    const running = supervisor;
    return {
      stack, baseUrl: started.baseUrl, adminKey, logDir, apps: running.apps(), sandbox: started.sandbox, stop,
      current: (name) => running.apps().find((a) => a.name === name),
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

interface StartAppsInput {
  supervisor: Supervisor;
  stack: RunningStack;
  adminKey: string;
  logDir: string;
  sandboxSettings: SandboxSettings | null;
  state: { encryptionKeys?: string };
}

async function startApps(input: StartAppsInput): Promise<{ baseUrl: string; sandbox: RunningSandbox | undefined }> {
  const { supervisor, stack, logDir, sandboxSettings } = input;
  const port = process.env.PORT ? Number(process.env.PORT) : await pickPort(3000, new Set());
  const baseUrl = `http://127.0.0.1:${port}`;
  // The sandboxes' ports are settled first (under the same lock): the API and the worker admit
  // exactly those through the outbound allow-list, and a restarted sandbox comes back on them.
  const taken = new Set([port]);
  let sandboxPorts: SandboxPorts | undefined;
  if (sandboxSettings) {
    sandboxPorts = { ...sandboxSettings.ports };
    for (const name of Object.keys(sandboxPorts) as Array<keyof SandboxPorts>) sandboxPorts[name] = await pickPort(sandboxSettings.ports[name], taken);
  }
  const env = {
    ...unlimitedConnectorBudgets(sandboxSettings),
    ...process.env, ...stack.env, FREIGHT_ADMIN_API_KEY: input.adminKey,
    FREIGHT_ENCRYPTION_KEYS: process.env.FREIGHT_ENCRYPTION_KEYS ?? input.state.encryptionKeys,
    FREIGHT_OUTBOUND_ALLOW_HOSTS: sandboxAllowHosts(sandboxPorts, process.env.FREIGHT_OUTBOUND_ALLOW_HOSTS),
    PORT: String(port), PUBLIC_URL: process.env.PUBLIC_URL ?? baseUrl,
  };
  const api = await supervisor.add({ name: 'api', start: () => startAppProcess('api', 'api/main.ts', env, logDir) });
  await supervisor.add({ name: 'worker', start: () => startAppProcess('worker', 'workers/main.ts', env, logDir) });
  // The sandbox is independent of the API: both start side by side, and both must be up.
  const [ready, sandbox] = await Promise.allSettled([
    waitReady(baseUrl, 90_000, () => api.current().child.exitCode === null),
    sandboxSettings && sandboxPorts
      ? startSandbox({ settings: { ...sandboxSettings, ports: sandboxPorts }, env: process.env, logDir, taken: new Set([port]) }).then(async (s) => {
        // A restarted sandbox comes back on the same ports: connections stored in Freight point there.
        await supervisor.add({
          name: 'sandbox',
          running: s.process,
          start: async () => (await startSandbox({ settings: { ...sandboxSettings, ports: sandboxPorts }, env: process.env, logDir })).process,
        });
        return s;
      })
      : Promise.resolve(undefined),
  ]);
  // Exit events of a process that died just now may still be queued.
  await new Promise((resolve) => setImmediate(resolve));
  const dead = supervisor.apps().find((a) => a.child.exitCode !== null || a.child.signalCode !== null);
  if (dead) throw new Error(`${dead.name} exited during start-up; last lines of ${dead.logFile}:\n${appTail(dead)}`);
  if (ready.status === 'rejected') {
    const reason = ready.reason instanceof Error ? ready.reason.message : String(ready.reason);
    const current = api.current();
    throw new Error(`${reason}; last lines of ${current.logFile}:\n${appTail(current)}`);
  }
  if (sandbox.status === 'rejected') throw sandbox.reason;
  supervisor.markRunning();
  return { baseUrl, sandbox: sandbox.value };
}
