import type { StackGuard } from '../dev-stack/guard.ts';
import { appTail, stopAppProcess, type AppProcess } from './processes.ts';

export interface SupervisedSpec {
  name: string;
  start: () => AppProcess | Promise<AppProcess>;
  /** Already started by the caller (e.g. the sandbox, whose start waits for its ports): watch it from now on. */
  running?: AppProcess;
}

export interface Supervised {
  current(): AppProcess;
}

export interface Supervisor {
  add(spec: SupervisedSpec): Promise<Supervised>;
  /** Start-up is over: from now on a death is a crash (restarted or reported), not a failed start. */
  markRunning(): void;
  apps(): AppProcess[];
  stop(): Promise<void>;
}

export interface SupervisorOptions {
  log: (m: string) => void;
  onCrash: 'restart' | ((name: string, logTail: string) => void);
  guard: StackGuard | undefined;
  /** First restart delay; doubles per crash in a row, up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A process that stayed up this long starts its backoff afresh. */
  healthyAfterMs?: number;
}

/**
 * Keeps Freight's own processes (API, worker, sandbox) running for `npm start`: one that dies is
 * started again after a backoff (1 s, 2 s, 4 s … 30 s; back to 1 s once it stayed up a minute),
 * and the restart is logged with the dead process's last log lines. Jobs resume by themselves: their
 * workflows live in Temporal, and a restarted worker picks them up. The demo passes a function
 * instead, since a crash there is a failed demo.
 */
export function createSupervisor(options: SupervisorOptions): Supervisor {
  const entries: { spec: SupervisedSpec; proc: AppProcess; crashes: number; startedAt: number; timer?: NodeJS.Timeout }[] = [];
  let running = false;
  let stopping = false;
  const base = options.backoffMs ?? 1_000;
  const max = options.maxBackoffMs ?? 30_000;
  const healthy = options.healthyAfterMs ?? 60_000;

  const record = (): void => void options.guard?.setApps(entries.map((e) => ({ pid: e.proc.child.pid, name: e.spec.name })));

  const watch = (entry: (typeof entries)[number]): void => {
    const proc = entry.proc;
    void proc.exited.then(async (code) => {
      if (stopping || !running || entry.proc !== proc) return;
      const tail = appTail(proc);
      if (options.onCrash !== 'restart') {
        options.onCrash(entry.spec.name, tail);
        return;
      }
      if (Date.now() - entry.startedAt > healthy) entry.crashes = 0;
      const delay = Math.min(max, base * 2 ** entry.crashes);
      entry.crashes += 1;
      options.log(`${entry.spec.name} exited unexpectedly (${proc.child.signalCode ?? `code ${code}`}); restarting it in ${delay / 1000} s (restart #${entry.crashes}); last log lines:\n${tail}`);
      entry.timer = setTimeout(() => void restart(entry), delay);
    });
  };

  const restart = async (entry: (typeof entries)[number]): Promise<void> => {
    if (stopping) return;
    try {
      entry.proc = await entry.spec.start();
      entry.startedAt = Date.now();
      record();
      options.log(`${entry.spec.name} restarted (pid ${entry.proc.child.pid})`);
      watch(entry);
    } catch (err) {
      const delay = Math.min(max, base * 2 ** entry.crashes);
      entry.crashes += 1;
      options.log(`${entry.spec.name} could not be restarted (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); next try in ${delay / 1000} s`);
      entry.timer = setTimeout(() => void restart(entry), delay);
    }
  };

  return {
    async add(spec) {
      const entry = { spec, proc: spec.running ?? (await spec.start()), crashes: 0, startedAt: Date.now() };
      entries.push(entry);
      record();
      watch(entry);
      return { current: () => entry.proc };
    },
    markRunning() {
      running = true;
    },
    apps: () => entries.map((e) => e.proc),
    async stop() {
      stopping = true;
      for (const e of entries) clearTimeout(e.timer);
      await Promise.all(entries.map((e) => stopAppProcess(e.proc)));
    },
  };
}
