import { generateApiKey } from '../../shared/auth/api-key.ts';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DEV_PORTS } from '../dev-stack/cli.ts';
import { pickPort } from '../dev-stack/run.ts';
import { downStack, upStack, type RunningStack } from '../dev-stack/stack.ts';
import { readState, writeState } from '../dev-stack/state.ts';
import { waitReady } from './api-client.ts';
import { appTail, startAppProcess, stopAppProcess, type AppProcess } from './processes.ts';
import { sandboxSettingsFromEnv, unlimitedConnectorBudgets, type SandboxSettings } from './sandbox-options.ts';
import { startSandbox, type RunningSandbox } from './sandbox-process.ts';

export interface RunningFreight {
  stack: RunningStack;
  baseUrl: string;
  adminKey: string;
  logDir: string;
  apps: AppProcess[];
  /** The Affinity and Attio sandboxes (one process), unless turned off. */
  sandbox: RunningSandbox | undefined;
  /** Stops the API, worker and sandbox, then the services this call started (idempotent). */
  stop(): Promise<void>;
}

export interface StartFreightOptions {
  log: (m: string) => void;
  /** Called if the API, the worker or the sandbox dies on its own once started (a death during start-up fails the start). */
  onCrash: (name: string, logTail: string) => void;
  /** Sandbox settings; `null` runs none; omitted: from FREIGHT_SANDBOX* (see sandbox-options.ts). */
  sandbox?: SandboxSettings | null;
}

/**
 * The dev stack plus Freight's own API and worker processes and the sandbox APIs, shared by
 * `npm start` and `npm run demo`.
 */
export async function startFreight(options: StartFreightOptions): Promise<RunningFreight> {
  const sandboxSettings = options.sandbox === undefined ? sandboxSettingsFromEnv(process.env) : options.sandbox;
  const stack = await upStack({ name: 'dev', ports: DEV_PORTS, log: options.log });
  const apps: AppProcess[] = [];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await Promise.all(apps.map((a) => stopAppProcess(a)));
    const down = await downStack('dev', stack.started);
    if (down.length) options.log(`stopped ${down.join(', ')}`);
  };
  try {
    const state = await readState(stack.dir);
    state.adminApiKey ??= generateApiKey('live').plaintext;
    state.encryptionKeys ??= `dev1:${randomBytes(32).toString('base64')}`;
    await writeState(stack.dir, state);
    const adminKey = process.env.FREIGHT_ADMIN_API_KEY ?? state.adminApiKey;
    const port = process.env.PORT ? Number(process.env.PORT) : await pickPort(3000, new Set());
    const baseUrl = `http://127.0.0.1:${port}`;
    const env = {
      ...unlimitedConnectorBudgets(sandboxSettings),
      ...process.env, ...stack.env, FREIGHT_ADMIN_API_KEY: adminKey,
      FREIGHT_ENCRYPTION_KEYS: process.env.FREIGHT_ENCRYPTION_KEYS ?? state.encryptionKeys,
      PORT: String(port), PUBLIC_URL: process.env.PUBLIC_URL ?? baseUrl,
    };
    const logDir = path.join(stack.dir, 'logs');
    // A process that dies while the others start fails the start-up (with its log); after that, onCrash.
    let running = false;
    const crashed: AppProcess[] = [];
    const watch = (app: AppProcess): void => {
      apps.push(app);
      void app.exited.then(() => {
        if (stopped) return;
        if (running) options.onCrash(app.name, appTail(app));
        else crashed.push(app);
      });
    };
    const api = startAppProcess('api', 'api/main.ts', env, logDir);
    watch(api);
    watch(startAppProcess('worker', 'workers/main.ts', env, logDir));
    // The sandbox is independent of the API: both start side by side, and both must be up.
    const [ready, sandbox] = await Promise.allSettled([
      waitReady(baseUrl, 90_000, () => api.child.exitCode === null),
      sandboxSettings ? startSandbox({ settings: sandboxSettings, env: process.env, logDir, taken: new Set([port]) }) : undefined,
    ]);
    if (sandbox.status === 'fulfilled' && sandbox.value) watch(sandbox.value.process);
    // Exit events of a process that died just now may still be queued.
    await new Promise((resolve) => setImmediate(resolve));
    const dead = crashed[0] ?? apps.find((a) => a.child.exitCode !== null || a.child.signalCode !== null);
    if (dead) throw new Error(`${dead.name} exited during start-up; last lines of ${dead.logFile}:\n${appTail(dead)}`);
    if (ready.status === 'rejected') {
      const reason = ready.reason instanceof Error ? ready.reason.message : String(ready.reason);
      throw new Error(`${reason}; last lines of ${api.logFile}:\n${appTail(api)}`);
    }
    if (sandbox.status === 'rejected') throw sandbox.reason;
    running = true;
    return { stack, baseUrl, adminKey, logDir, apps, sandbox: sandbox.value, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
