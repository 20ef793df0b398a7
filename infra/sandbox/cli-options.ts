import { parseArgs } from 'node:util';
import { z } from 'zod';

/**
 * Options of `infra/sandbox/main.ts`, from flags first and SANDBOX_* environment variables second.
 * Pure: callers pass argv and env (tests pass their own).
 */
const int = (min: number) => z.coerce.number().int().min(min);
const rate = z.coerce.number().min(0).max(1);

const CliSchema = z.object({
  host: z.string().default('127.0.0.1'),
  affinityPort: int(0).max(65535).default(4010),
  attioPort: int(0).max(65535).default(4020),
  processStreetPort: int(0).max(65535).default(4030),
  tallyfyPort: int(0).max(65535).default(4040),
  seed: z.string().default('1'),
  size: int(0).default(10_000),
  poisonRate: rate.default(0),
  /** Every generated person belongs to ≥ 1 organization (for a 100% company-link verification). */
  everyPersonHasCompany: z.boolean().default(false),
  affinityKey: z.string().min(1).default('affinity-sandbox-key'),
  /** One token, or several separated by commas: all of the one workspace (they share its limits). */
  attioToken: z.string().min(1).default('attio-sandbox-token'),
  processStreetKey: z.string().min(1).default('process-street-sandbox-key'),
  tallyfyToken: z.string().min(1).default('tallyfy-sandbox-token'),
  /** Scale of the generated Process Street organisation (1 ≈ 3,150 objects: 22 templates, 1,560 runs, 1,100 comments, 60 files). */
  psSize: z.coerce.number().positive().max(100).default(1),
  /** Process Street requests per second per key (inferred: Process Street publishes no number). */
  processStreetPerSecond: z.coerce.number().min(0).default(10),
  /**
   * Sandbox-only: multiplies every Tallyfy window (0.002 makes the comment cap's hour 7.2 s), so a
   * migration held to Tallyfy's caps runs in minutes. The worker must be told the same hour (FREIGHT_TALLYFY_HOUR_MS).
   */
  tallyfyWindowScale: z.coerce.number().positive().max(1).default(1),
  affinityPerMinute: int(0).default(900),
  affinityMonthly: int(0).default(100_000),
  attioReadsPerSecond: int(0).default(100),
  attioWritesPerSecond: int(0).default(25),
  /** Turns every rate limit off (throughput benchmarks). */
  noLimits: z.boolean().default(false),
  rate429: rate.default(0),
  rate5xx: rate.default(0),
  resetRate: rate.default(0),
  latencyMs: int(0).default(0),
  jitterMs: int(0).default(0),
  poison: z.boolean().default(true),
  /** Check every API exchange against the vendors' published schemas (/__sandbox/contract). */
  contract: z.boolean().default(false),
  noteLimitBytes: int(1).default(100 * 1024),
  adminToken: z.string().min(1).optional(),
  /** Keep the Attio workspace in this folder across restarts (off when unset). */
  stateDir: z.string().min(1).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type CliOptions = z.infer<typeof CliSchema>;

const FLAGS = {
  host: 'SANDBOX_HOST', 'affinity-port': 'SANDBOX_AFFINITY_PORT', 'attio-port': 'SANDBOX_ATTIO_PORT', seed: 'SANDBOX_SEED',
  'process-street-port': 'SANDBOX_PROCESS_STREET_PORT', 'tallyfy-port': 'SANDBOX_TALLYFY_PORT',
  'process-street-key': 'SANDBOX_PROCESS_STREET_KEY', 'tallyfy-token': 'SANDBOX_TALLYFY_TOKEN', 'ps-size': 'SANDBOX_PS_SIZE',
  'process-street-per-second': 'SANDBOX_PROCESS_STREET_PER_SECOND', 'tallyfy-window-scale': 'SANDBOX_TALLYFY_WINDOW_SCALE',
  size: 'SANDBOX_SIZE', 'poison-rate': 'SANDBOX_POISON_RATE', 'affinity-key': 'SANDBOX_AFFINITY_KEY', 'attio-token': 'SANDBOX_ATTIO_TOKEN',
  'affinity-per-minute': 'SANDBOX_AFFINITY_PER_MINUTE', 'affinity-monthly': 'SANDBOX_AFFINITY_MONTHLY',
  'attio-reads-per-second': 'SANDBOX_ATTIO_READS_PER_SECOND', 'attio-writes-per-second': 'SANDBOX_ATTIO_WRITES_PER_SECOND',
  'rate-429': 'SANDBOX_RATE_429', 'rate-5xx': 'SANDBOX_RATE_5XX', 'reset-rate': 'SANDBOX_RESET_RATE',
  'latency-ms': 'SANDBOX_LATENCY_MS', 'jitter-ms': 'SANDBOX_JITTER_MS', 'note-limit-bytes': 'SANDBOX_NOTE_LIMIT_BYTES',
  'admin-token': 'SANDBOX_ADMIN_TOKEN', 'state-dir': 'SANDBOX_STATE_DIR', 'log-level': 'SANDBOX_LOG_LEVEL',
} as const;

const camel = (flag: string) => flag.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
const truthy = (v: string | undefined) => v === '1' || v === 'true' || v === 'yes';

export function parseCliOptions(argv: string[], env: Record<string, string | undefined>): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }])),
      'no-limits': { type: 'boolean' },
      'no-poison': { type: 'boolean' },
      'every-person-has-company': { type: 'boolean' },
      contract: { type: 'boolean' },
    },
    strict: true,
  });
  const raw: Record<string, unknown> = {};
  for (const [flag, envName] of Object.entries(FLAGS)) {
    const value = (values as Record<string, unknown>)[flag] ?? env[envName];
    if (value !== undefined) raw[camel(flag)] = value;
  }
  raw.noLimits = values['no-limits'] === true || truthy(env.SANDBOX_NO_LIMITS);
  raw.poison = !(values['no-poison'] === true || truthy(env.SANDBOX_NO_POISON));
  raw.everyPersonHasCompany = values['every-person-has-company'] === true || truthy(env.SANDBOX_EVERY_PERSON_HAS_COMPANY);
  raw.contract = values.contract === true || truthy(env.SANDBOX_CONTRACT);
  const parsed = CliSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`invalid sandbox options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
