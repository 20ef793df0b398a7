import path from 'node:path';
import { stackDataDir } from '../dev-stack/paths.ts';

/**
 * Settings of the sandbox process that `npm start` and `npm run demo` run beside the API and the
 * worker. Pure (callers pass the environment), so the parsing is unit-tested.
 */
export interface SandboxSettings {
  /** ≈ total Affinity records of the generated account. */
  size: number;
  seed: string;
  /**
   * `real`: the sandboxes' own defaults, i.e. Attio's and Affinity's published limits (Attio 25 writes/s and
   * 100 reads/s per token, Affinity 900/min per key and 100,000/month); `off`: no limit at all.
   */
  limits: 'real' | 'off';
  /** Preferred ports; any free port when taken. */
  ports: { affinity: number; attio: number };
  /**
   * Folder the Attio sandbox keeps its workspace in across restarts (`--state-dir`), so a restarted
   * stack still holds what a job wrote and the job can resume. npm start: `<dev stack dir>/sandbox`;
   * unset (the demo, which makes a fresh account every run): the workspace starts empty each time.
   */
  stateDir?: string;
}

export const SANDBOX_DEV_PORTS = { affinity: 4010, attio: 4020 } as const;

/** Fixed on purpose: sandbox credentials guard nothing and are printed so they can be copied. */
export const SANDBOX_KEYS = { affinity: 'affinity-sandbox-key', attio: 'attio-sandbox-token' } as const;

export const DEFAULT_SANDBOX_SIZE = 5000;

const OFF = new Set(['off', '0', 'false', 'no']);

/**
 * `FREIGHT_SANDBOX=off` → null (no sandbox); otherwise size from `FREIGHT_SANDBOX_SIZE` (default 5000),
 * seed from `FREIGHT_SANDBOX_SEED` (default `1`), limits real unless `FREIGHT_SANDBOX_LIMITS=off`, the
 * Attio workspace kept in the dev stack's folder unless `FREIGHT_SANDBOX_PERSIST=off`.
 */
export function sandboxSettingsFromEnv(env: Record<string, string | undefined>): SandboxSettings | null {
  if (OFF.has((env.FREIGHT_SANDBOX ?? '').trim().toLowerCase())) return null;
  const limits = (env.FREIGHT_SANDBOX_LIMITS ?? 'real').trim().toLowerCase();
  if (!OFF.has(limits) && !['real', 'on', '1', 'true', 'yes'].includes(limits)) {
    throw new Error(`FREIGHT_SANDBOX_LIMITS must be "real" or "off" (got "${env.FREIGHT_SANDBOX_LIMITS}")`);
  }
  return {
    size: parseSize(env.FREIGHT_SANDBOX_SIZE ?? String(DEFAULT_SANDBOX_SIZE), 'FREIGHT_SANDBOX_SIZE'),
    seed: env.FREIGHT_SANDBOX_SEED?.trim() || '1',
    limits: OFF.has(limits) ? 'off' : 'real',
    ports: { ...SANDBOX_DEV_PORTS },
    ...(OFF.has((env.FREIGHT_SANDBOX_PERSIST ?? '').trim().toLowerCase()) ? {} : { stateDir: path.join(stackDataDir('dev', env), 'sandbox') }),
  };
}

/** A positive whole number of records (underscores and commas allowed: `100_000`, `5,000`). */
export function parseSize(raw: string, name: string): number {
  const cleaned = raw.trim().replace(/[_,]/g, '');
  const n = Number(cleaned);
  if (!/^\d+$/.test(cleaned) || !Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number (got "${raw}")`);
  return n;
}

/** Arguments of `infra/sandbox/main.ts` for these settings on these ports. */
export function sandboxArgs(settings: SandboxSettings, ports: { affinity: number; attio: number }): string[] {
  return [
    '--host', '127.0.0.1',
    '--affinity-port', String(ports.affinity),
    '--attio-port', String(ports.attio),
    '--size', String(settings.size),
    '--seed', settings.seed,
    '--affinity-key', SANDBOX_KEYS.affinity,
    '--attio-token', SANDBOX_KEYS.attio,
    ...(settings.limits === 'off' ? ['--no-limits'] : []),
    ...(settings.stateDir ? ['--state-dir', settings.stateDir] : []),
    // Every Attio exchange held to Attio's published schemas: the demo reports the count (a schema check per request is cheap at these rates).
    '--contract',
  ];
}

export function describeLimits(limits: SandboxSettings['limits']): string {
  return limits === 'off' ? 'rate limits off' : 'real rate limits (Attio 25 writes/s + 100 reads/s, Affinity 900/min)';
}

/**
 * Attio sends no rate-limit headers, so the worker paces itself to the documented 25 writes/s
 * unless told otherwise. With the sandbox's limits off that pacing is the only brake left: lift it
 * (explicit FREIGHT_ATTIO_* / FREIGHT_AFFINITY_* settings still win, they are spread after this).
 */
export function unlimitedConnectorBudgets(sandbox: SandboxSettings | null): Record<string, string> {
  if (sandbox?.limits !== 'off') return {};
  return { FREIGHT_ATTIO_WRITES_PER_SEC: '100000', FREIGHT_ATTIO_READS_PER_SEC: '100000', FREIGHT_AFFINITY_REQUESTS_PER_MIN: '6000000' };
}

/**
 * FREIGHT_OUTBOUND_ALLOW_HOSTS for the API and worker of a stack whose sandboxes listen on `ports`:
 * exactly those two loopback ports (not the stack's PostgreSQL, MinIO or Temporal), after whatever
 * the operator set.
 */
export function sandboxAllowHosts(ports: { affinity: number; attio: number } | undefined, operator: string | undefined): string {
  const own = ports ? [`127.0.0.1:${ports.affinity}`, `127.0.0.1:${ports.attio}`] : [];
  return [operator?.trim(), ...own].filter(Boolean).join(',');
}
