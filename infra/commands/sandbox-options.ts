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
   * `real`: the sandboxes' own defaults, i.e. the vendors' published limits (Attio 25 writes/s and 100
   * reads/s per token, Affinity 900/min per key and 100,000/month, Tallyfy 600/min, 120 comments/h and
   * 30 invites/h, Process Street 10/s inferred); `off`: no limit at all; `compressed`: Tallyfy's limits
   * with every window × TALLYFY_TIME_SCALE (its hourly comment cap still paces the job, in seconds), the others off.
   */
  limits: 'real' | 'off' | 'compressed';
  /** Preferred ports; any free port when taken. */
  ports: SandboxPorts;
  /**
   * Folder the Attio sandbox keeps its workspace in across restarts (`--state-dir`), so a restarted
   * stack still holds what a job wrote and the job can resume. npm start: `<dev stack dir>/sandbox`;
   * unset (the demo, which makes a fresh account every run): the workspace starts empty each time.
   */
  stateDir?: string;
}

/** One port per sandbox of infra/sandbox/registry.ts. */
export interface SandboxPorts { affinity: number; attio: number; processStreet: number; tallyfy: number }

export const SANDBOX_DEV_PORTS: Readonly<SandboxPorts> = { affinity: 4010, attio: 4020, processStreet: 4030, tallyfy: 4040 };

/** Fixed on purpose: sandbox credentials guard nothing and are printed so they can be copied. */
export const SANDBOX_KEYS = {
  affinity: 'affinity-sandbox-key', attio: 'attio-sandbox-token', processStreet: 'process-street-sandbox-key', tallyfy: 'tallyfy-sandbox-token',
} as const;

/**
 * `compressed` limits: Tallyfy's windows × this (the hour of its 120-comment cap lasts 7.2 s, its minute
 * 0.12 s), so the 1,100 comments of a generated organisation take about a minute instead of nine hours.
 */
export const TALLYFY_TIME_SCALE = 0.002;

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
export function sandboxArgs(settings: SandboxSettings, ports: SandboxPorts): string[] {
  return [
    '--host', '127.0.0.1',
    '--affinity-port', String(ports.affinity),
    '--attio-port', String(ports.attio),
    '--process-street-port', String(ports.processStreet),
    '--tallyfy-port', String(ports.tallyfy),
    '--size', String(settings.size),
    '--seed', settings.seed,
    '--affinity-key', SANDBOX_KEYS.affinity,
    '--attio-token', SANDBOX_KEYS.attio,
    '--process-street-key', SANDBOX_KEYS.processStreet,
    '--tallyfy-token', SANDBOX_KEYS.tallyfy,
    ...(settings.limits === 'off' ? ['--no-limits'] : []),
    // Tallyfy's windows compressed; Affinity, Attio and Process Street unlimited.
    ...(settings.limits === 'compressed'
      ? ['--tallyfy-window-scale', String(TALLYFY_TIME_SCALE), '--process-street-per-second', '0', '--affinity-per-minute', '0', '--affinity-monthly', '0', '--attio-reads-per-second', '0', '--attio-writes-per-second', '0']
      : []),
    ...(settings.stateDir ? ['--state-dir', settings.stateDir] : []),
    // Every Attio exchange held to Attio's published schemas: the demo reports the count (a schema check per request is cheap at these rates).
    '--contract',
  ];
}

export function describeLimits(limits: SandboxSettings['limits']): string {
  if (limits === 'off') return 'rate limits off';
  if (limits === 'compressed') {
    return `Tallyfy's limits time-compressed ×${TALLYFY_TIME_SCALE} (120 comments per ${(3600 * TALLYFY_TIME_SCALE).toFixed(1)} s instead of per hour, 30 invites likewise), other limits off`;
  }
  return 'real rate limits (Attio 25 writes/s + 100 reads/s, Affinity 900/min, Tallyfy 600/min + 120 comments/h, Process Street 10/s)';
}

/**
 * Attio sends no rate-limit headers, so the worker paces itself to the documented 25 writes/s
 * unless told otherwise. With the sandbox's limits off that pacing is the only brake left: lift it
 * (explicit FREIGHT_ATTIO_* / FREIGHT_AFFINITY_* settings still win, they are spread after this).
 */
export function unlimitedConnectorBudgets(sandbox: SandboxSettings | null): Record<string, string> {
  if (sandbox?.limits === 'real' || !sandbox) return {};
  const unlimited = {
    FREIGHT_ATTIO_WRITES_PER_SEC: '100000', FREIGHT_ATTIO_READS_PER_SEC: '100000', FREIGHT_AFFINITY_REQUESTS_PER_MIN: '6000000',
    FREIGHT_PROCESS_STREET_REQUESTS_PER_SEC: '100000',
  };
  if (sandbox.limits === 'off') {
    return { ...unlimited, FREIGHT_TALLYFY_REQUESTS_PER_MIN: '6000000', FREIGHT_TALLYFY_COMMENTS_PER_HOUR: '100000000', FREIGHT_TALLYFY_INVITES_PER_HOUR: '100000000' };
  }
  // Compressed: the worker paces Tallyfy to the sandbox's shortened windows (same counts, scaled time).
  return {
    ...unlimited,
    FREIGHT_TALLYFY_HOUR_MS: String(Math.round(3_600_000 * TALLYFY_TIME_SCALE)),
    FREIGHT_TALLYFY_REQUESTS_PER_MIN: String(Math.round(600 / TALLYFY_TIME_SCALE)),
  };
}

/**
 * FREIGHT_OUTBOUND_ALLOW_HOSTS for the API and worker of a stack whose sandboxes listen on `ports`:
 * exactly those loopback ports, one per sandbox (not the stack's PostgreSQL, MinIO or Temporal),
 * after whatever the operator set.
 */
export function sandboxAllowHosts(ports: SandboxPorts | undefined, operator: string | undefined): string {
  const own = ports ? Object.values(ports).map((port) => `127.0.0.1:${port}`) : [];
  return [operator?.trim(), ...own].filter(Boolean).join(',');
}
