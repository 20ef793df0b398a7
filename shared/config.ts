import { z } from 'zod';
import { DEFAULT_DB_TIMEOUTS, type DbTimeouts } from './db/timeouts.ts';
import { parseAllowHosts, type AllowedHost } from './outbound/allow-list.ts';
import { CONNECTOR_TYPES } from './pairs/index.ts';

/**
 * Configuration of every Freight process, read from the environment once by each entrypoint.
 * No side effects on import: callers pass `process.env` (tests pass their own object).
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = z.coerce.number().int().positive();
/** Milliseconds where 0 means "off". */
const millisOrOff = z.coerce.number().int().min(0);

const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_URL: z.string().url().optional(),

    DATABASE_URL: z.string().min(1, 'DATABASE_URL is required (postgres://user:pass@host:port/db)'),
    DATABASE_MIGRATION_URL: z.string().min(1).optional(),
    DATABASE_POOL_MAX: positiveInt.default(10),
    FREIGHT_DB_STATEMENT_TIMEOUT_MS: millisOrOff.default(DEFAULT_DB_TIMEOUTS.statementMs),
    FREIGHT_DB_IDLE_IN_TX_TIMEOUT_MS: millisOrOff.default(DEFAULT_DB_TIMEOUTS.idleInTransactionMs),
    FREIGHT_DB_LOCK_TIMEOUT_MS: millisOrOff.default(DEFAULT_DB_TIMEOUTS.lockMs),
    FREIGHT_DB_POOL_WAIT_MS: millisOrOff.default(DEFAULT_DB_TIMEOUTS.poolWaitMs),

    TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
    TEMPORAL_TLS: bool.default(false),
    TEMPORAL_TLS_CERT_PATH: z.string().optional(),
    TEMPORAL_TLS_KEY_PATH: z.string().optional(),
    TEMPORAL_TLS_CA_PATH: z.string().optional(),
    TEMPORAL_API_KEY: z.string().optional(),
    TEMPORAL_NAMESPACE_PREFIX: z.string().regex(/^[a-z0-9-]*$/).default('freight-'),
    TEMPORAL_NAMESPACE_RETENTION_DAYS: positiveInt.default(7),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('freight-migrations'),
    TEMPORAL_UI_URL: z.string().url().default('http://127.0.0.1:8233'),

    S3_ENDPOINT: z.string().url().optional(),
    S3_REGION: z.string().default('us-east-1'),
    S3_BUCKET: z.string().min(3).default('freight'),
    S3_ACCESS_KEY_ID: z.string().optional(),
    S3_SECRET_ACCESS_KEY: z.string().optional(),
    S3_FORCE_PATH_STYLE: bool.optional(),
    S3_SSE: z.enum(['AES256', 'aws:kms']).default('AES256'),
    S3_SSE_KMS_KEY_ID: z.string().optional(),
    S3_PUBLIC_ENDPOINT: z.string().url().optional(),
    FREIGHT_ARTIFACT_URL_TTL_SECONDS: z.coerce.number().int().min(1).max(604_800).default(300),

    FREIGHT_ADMIN_API_KEY: z.string().min(24, 'FREIGHT_ADMIN_API_KEY must be at least 24 characters').optional(),
    FREIGHT_JWT_SECRET: z.string().min(32, 'FREIGHT_JWT_SECRET must be at least 32 characters').optional(),
    FREIGHT_JWT_JWKS_URL: z.string().url().optional(),
    FREIGHT_JWT_ISSUER: z.string().optional(),
    FREIGHT_JWT_AUDIENCE: z.string().default('freight'),
    FREIGHT_API_RATE_LIMIT_PER_MIN: positiveInt.default(1200),
    FREIGHT_API_RATE_LIMIT_BURST: positiveInt.default(200),
    FREIGHT_BODY_LIMIT_BYTES: positiveInt.default(1024 * 1024),

    FREIGHT_WORKER_SHUTDOWN_GRACE_MS: positiveInt.default(10_000),
    FREIGHT_WORKER_SHUTDOWN_FORCE_MS: positiveInt.optional(),
    FREIGHT_WORKER_MAX_NAMESPACES: positiveInt.default(10),
    FREIGHT_WORKER_MAX_CONCURRENT_ACTIVITIES: positiveInt.default(40),
    FREIGHT_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: positiveInt.default(80),
    FREIGHT_WORKER_MAX_CACHED_WORKFLOWS: positiveInt.default(160),
    FREIGHT_WORKER_DB_POOL_MAX: positiveInt.optional(),
    FREIGHT_WORKER_LEASE_TTL_MS: z.coerce.number().int().min(15_000, 'FREIGHT_WORKER_LEASE_TTL_MS must be at least 15000 (three rounds of the demand loop)').default(30_000),
    FREIGHT_WORKER_YIELD_AFTER_MS: positiveInt.default(60_000),
    FREIGHT_WORKER_IDLE_STOP_MS: positiveInt.default(5 * 60_000),
    FREIGHT_WORKER_HEARTBEAT_MS: positiveInt.default(10_000),
    FREIGHT_WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
    FREIGHT_TEMPORAL_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
    FREIGHT_METRICS_HOST: z.string().default('127.0.0.1'),
    FREIGHT_METRICS_TOKEN: z.string().min(16, 'FREIGHT_METRICS_TOKEN must be at least 16 characters').optional(),

    // Each connector type's rate limits (FREIGHT_ATTIO_WRITES_PER_SEC, ...) come from the pair data: connectorLimitsSchema.
    FREIGHT_RATE_BUDGET_STORE: z.enum(['postgres', 'process']).default('postgres'),
    FREIGHT_RATE_GRANT_MS: z.coerce.number().int().min(20).max(5_000).default(250),
    FREIGHT_WRITE_CONCURRENCY: positiveInt.default(16),
    // Real pages can be slow (a vendor under load, 100 records with their fields): a call that has sent
    // nothing for this long is abandoned as transient and retried; the activity heartbeats meanwhile.
    FREIGHT_CONNECTOR_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(90_000),
    FREIGHT_JOB_MAX_HISTORY_EVENTS: positiveInt.default(2_000),
    FREIGHT_JOB_RETRY_WINDOW_HOURS: positiveInt.default(24),

    FREIGHT_OUTBOUND_ALLOW_HOSTS: z.string().optional(),

    FREIGHT_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    FREIGHT_WEBHOOK_RETRY_INITIAL_MS: positiveInt.default(10_000),
    FREIGHT_WEBHOOK_RETRY_BACKOFF: z.coerce.number().min(1).max(10).default(2),
    FREIGHT_WEBHOOK_RETRY_MAX_INTERVAL_MS: positiveInt.default(3_600_000),
    FREIGHT_WEBHOOK_GIVE_UP_HOURS: z.coerce.number().positive().max(24 * 30).default(24),
    FREIGHT_WEBHOOK_RELAY_INTERVAL_MS: positiveInt.default(2_000),
    FREIGHT_WEBHOOK_RELAY: z.enum(['on', 'off']).default('on'),

    FREIGHT_ENCRYPTION_KEYS: z
      .string()
      .regex(/^[A-Za-z0-9_-]+:[A-Za-z0-9+/=]{43,44}(,[A-Za-z0-9_-]+:[A-Za-z0-9+/=]{43,44})*$/, 'FREIGHT_ENCRYPTION_KEYS must be "keyId:base64(32 bytes)[,keyId:base64...]" (first = active)')
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.S3_ENDPOINT && (!env.S3_ACCESS_KEY_ID || !env.S3_SECRET_ACCESS_KEY)) {
      ctx.addIssue({ code: 'custom', path: ['S3_ACCESS_KEY_ID'], message: 'S3_ENDPOINT needs S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY' });
    }
    if (env.S3_SSE === 'aws:kms' && !env.S3_SSE_KMS_KEY_ID) {
      ctx.addIssue({ code: 'custom', path: ['S3_SSE_KMS_KEY_ID'], message: 'S3_SSE=aws:kms needs S3_SSE_KMS_KEY_ID' });
    }
    try {
      parseAllowHosts(env.FREIGHT_OUTBOUND_ALLOW_HOSTS);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['FREIGHT_OUTBOUND_ALLOW_HOSTS'], message: (err as Error).message });
    }
    if (env.FREIGHT_WORKER_SHUTDOWN_FORCE_MS !== undefined && env.FREIGHT_WORKER_SHUTDOWN_FORCE_MS <= env.FREIGHT_WORKER_SHUTDOWN_GRACE_MS) {
      ctx.addIssue({ code: 'custom', path: ['FREIGHT_WORKER_SHUTDOWN_FORCE_MS'], message: 'FREIGHT_WORKER_SHUTDOWN_FORCE_MS must be longer than FREIGHT_WORKER_SHUTDOWN_GRACE_MS' });
    }
    for (const issue of workerCapacityIssues(env)) ctx.addIssue({ code: 'custom', ...issue });
    if (Boolean(env.TEMPORAL_TLS_CERT_PATH) !== Boolean(env.TEMPORAL_TLS_KEY_PATH)) {
      ctx.addIssue({ code: 'custom', path: ['TEMPORAL_TLS_CERT_PATH'], message: 'Set both TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH, or neither' });
    }
  });

type Env = z.infer<typeof ConfigSchema>;

/**
 * Long polls a tenant Worker keeps open on each of its task queues however idle (the SDK's autoscaling
 * pollers' minimum, workers/process-capacity.ts). The server splits a task queue into partitions (4 by
 * default) and a poll waits on one of them: with a single poll, a task left in another partition while
 * no Worker polled (a namespace waiting for a place) was found only after up to 7 minutes of 60 s polls
 * (the namespaces benchmark); two halve the odds of missing it each round.
 */
export const MIN_POLLS_PER_QUEUE = 2;

/**
 * Task slots a tenant Worker holds while it has no work at all: the SDK's poll loop holds a slot for
 * every open poll and one more while it waits to start the next — on the activity queue, and on the
 * sticky and the normal workflow queue. A Worker without them could not even see its tasks, so the
 * process budgets set them aside for every Worker it may run (workers/slot-pool.ts).
 */
export const SLOTS_HELD_BY_IDLE_WORKER = { activity: MIN_POLLS_PER_QUEUE + 1, workflowTask: 2 * (MIN_POLLS_PER_QUEUE + 1) } as const;

/** The process-wide Worker budgets must leave every Worker the process may run its polling slots. */
function workerCapacityIssues(env: {
  FREIGHT_WORKER_MAX_NAMESPACES: number; FREIGHT_WORKER_MAX_CONCURRENT_ACTIVITIES: number;
  FREIGHT_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: number; FREIGHT_WORKER_MAX_CACHED_WORKFLOWS: number;
}): Array<{ path: string[]; message: string }> {
  const n = env.FREIGHT_WORKER_MAX_NAMESPACES;
  const needs: Array<[keyof typeof env, number, string]> = [
    ['FREIGHT_WORKER_MAX_CONCURRENT_ACTIVITIES', n * SLOTS_HELD_BY_IDLE_WORKER.activity, `${SLOTS_HELD_BY_IDLE_WORKER.activity} activity slots`],
    ['FREIGHT_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', n * SLOTS_HELD_BY_IDLE_WORKER.workflowTask, `${SLOTS_HELD_BY_IDLE_WORKER.workflowTask} workflow task slots`],
    // The SDK's smallest sticky cache is 2 workflows per Worker.
    ['FREIGHT_WORKER_MAX_CACHED_WORKFLOWS', n * 2, '2 cached workflows'],
  ];
  return needs.filter(([key, min]) => env[key] < min).map(([key, min, what]) => ({
    path: [key], message: `${key} must be at least ${min}: each of the FREIGHT_WORKER_MAX_NAMESPACES=${n} Workers needs ${what}`,
  }));
}

export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  http: { host: string; port: number; publicUrl: string | undefined; bodyLimitBytes: number };
  /** `timeouts`: the server-side backstops every connection of the service carries (0 = server default). */
  db: { url: string; migrationUrl: string; poolMax: number; timeouts: DbTimeouts };
  temporal: {
    address: string;
    tls: boolean;
    tlsCertPath: string | undefined;
    tlsKeyPath: string | undefined;
    tlsCaPath: string | undefined;
    apiKey: string | undefined;
    namespacePrefix: string;
    retentionDays: number;
    taskQueue: string;
    uiUrl: string;
  };
  s3: {
    endpoint: string | undefined;
    region: string;
    bucket: string;
    accessKeyId: string | undefined;
    secretAccessKey: string | undefined;
    forcePathStyle: boolean;
    sse: 'AES256' | 'aws:kms';
    sseKmsKeyId: string | undefined;
    /** Endpoint presigned download URLs point at, when clients reach S3 at another address than the services. */
    publicEndpoint?: string | undefined;
    /** Lifetime of presigned artifact URLs, in seconds. */
    presignTtlSeconds?: number;
  };
  auth: {
    adminApiKey: string | undefined;
    jwtSecret: string | undefined;
    jwksUrl: string | undefined;
    jwtIssuer: string | undefined;
    jwtAudience: string;
  };
  rateLimit: { perMinute: number; burst: number };
  /**
   * `shutdownGraceMs`: what in-flight activities get to finish on shutdown; `shutdownForceMs`: from
   * the start of a shutdown, when a Worker stops waiting for them at all (a bounded stop).
   */
  worker: {
    shutdownGraceMs: number;
    shutdownForceMs: number;
    idleStopMs: number;
    /** Tenant namespaces (Workers) one worker process serves at most; the rest wait for another process. */
    maxNamespaces: number;
    /** Process-wide budgets shared by all of the process's Workers (not per Worker). */
    maxConcurrentActivities: number;
    maxConcurrentWorkflowTasks: number;
    /** Sticky cache of the whole process, divided evenly among the Workers it may run. */
    maxCachedWorkflows: number;
    /** The worker's PostgreSQL pool: by default one connection per activity slot plus a few for its own loops. */
    dbPoolMax: number;
    /** How long a namespace lease outlives its holder's last renewal (a dead process's namespaces are taken over after it). */
    leaseTtlMs: number;
    /** While namespaces wait for a process, a Worker whose activities have been quiet this long gives its place up. */
    yieldAfterMs: number;
  };
  /**
   * Prometheus endpoints: the API's `/metrics` (bearer `token` when set), the worker's own server and
   * the Temporal SDK's exporter (ports; 0 = off), liveness heartbeat period.
   */
  metrics: { token: string | undefined; host: string; workerPort: number; temporalPort: number; heartbeatMs: number };
  /**
   * API budgets the connectors pace themselves to (the APIs' documented limits by default), per
   * connector type as its pair data declares them (`byType.attio.writesPerSec` from
   * FREIGHT_ATTIO_WRITES_PER_SEC, ...). `budgetStore` 'postgres' shares them
   * across worker processes through `freight.rate_buckets` in grants of `grantMs`; 'process' keeps
   * them per process (one worker only).
   */
  connectors: {
    byType: Record<string, Record<string, number | undefined>>; writeConcurrency: number; requestTimeoutMs: number;
    budgetStore: 'postgres' | 'process'; grantMs: number;
  };
  /** Workflow bounds: continue-as-new threshold, and how long a job with errors stays open for retries. */
  jobs: { maxHistoryEvents: number; retryWindowHours: number };
  /**
   * Outbound policy of tenant connections: hosts the operator admits besides each connector type's
   * official API (the sandboxes of dev, test and demo stacks). Empty in production, as a rule.
   */
  outbound: { allowHosts: AllowedHost[] };
  /**
   * Webhook deliveries: each is retried with exponential backoff (`initialIntervalMs` ×
   * `backoffCoefficient` per attempt, at most `maximumIntervalMs`) until a 2xx or `giveUpAfterMs`;
   * one POST waits `requestTimeoutMs` at most. The worker's outbox relay runs every `relayIntervalMs`
   * besides its NOTIFY wake-ups.
   */
  webhooks: {
    retry: { initialIntervalMs: number; backoffCoefficient: number; maximumIntervalMs: number; giveUpAfterMs: number; requestTimeoutMs: number };
    relayIntervalMs: number;
    /** Whether this worker process runs the outbox relay (`FREIGHT_WEBHOOK_RELAY`; any number of processes may). */
    relay: boolean;
  };
  /** Keys for connection secrets at rest: the first encrypts, all decrypt (rotation). */
  encryptionKeys: Array<{ id: string; key: Buffer }>;
}

/** Connections of the worker's own loops (demand and leases, heartbeat, reconciler) on top of its activity slots. */
const WORKER_OWN_CONNECTIONS = 4;

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n  - ${issues.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * The connector types' rate limits from their environment variables (declared in shared/pairs),
 * as `{ [type]: { [limit]: number | undefined } }`.
 */
const connectorLimitsSchema = z.object(Object.fromEntries(CONNECTOR_TYPES.flatMap((t) => Object.values(t.limits ?? {}).map((l) => [
  l.env, l.default === undefined ? positiveInt.optional() : positiveInt.default(l.default),
])))).transform((env) => Object.fromEntries(CONNECTOR_TYPES.map((t) => [
  t.type, Object.fromEntries(Object.entries(t.limits ?? {}).map(([name, l]) => [name, env[l.env] as number | undefined])),
])) as Record<string, Record<string, number | undefined>>);

/** Validates the environment and returns the typed configuration, or throws ConfigError listing every problem. */
export function loadConfig(source: Record<string, string | undefined>): Config {
  // Empty strings mean "unset" (docker-compose passes `VAR=` for optional values).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(cleaned);
  const limits = connectorLimitsSchema.safeParse(cleaned);
  if (!parsed.success || !limits.success) {
    const issues = [...(parsed.error?.issues ?? []), ...(limits.error?.issues ?? [])];
    throw new ConfigError(issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    http: { host: e.HOST, port: e.PORT, publicUrl: e.PUBLIC_URL, bodyLimitBytes: e.FREIGHT_BODY_LIMIT_BYTES },
    db: {
      url: e.DATABASE_URL,
      migrationUrl: e.DATABASE_MIGRATION_URL ?? e.DATABASE_URL,
      poolMax: e.DATABASE_POOL_MAX,
      timeouts: { statementMs: e.FREIGHT_DB_STATEMENT_TIMEOUT_MS, idleInTransactionMs: e.FREIGHT_DB_IDLE_IN_TX_TIMEOUT_MS, lockMs: e.FREIGHT_DB_LOCK_TIMEOUT_MS,
        poolWaitMs: e.FREIGHT_DB_POOL_WAIT_MS },
    },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      tls: e.TEMPORAL_TLS || Boolean(e.TEMPORAL_TLS_CERT_PATH) || Boolean(e.TEMPORAL_API_KEY),
      tlsCertPath: e.TEMPORAL_TLS_CERT_PATH,
      tlsKeyPath: e.TEMPORAL_TLS_KEY_PATH,
      tlsCaPath: e.TEMPORAL_TLS_CA_PATH,
      apiKey: e.TEMPORAL_API_KEY,
      namespacePrefix: e.TEMPORAL_NAMESPACE_PREFIX,
      retentionDays: e.TEMPORAL_NAMESPACE_RETENTION_DAYS,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      uiUrl: e.TEMPORAL_UI_URL,
    },
    s3: {
      endpoint: e.S3_ENDPOINT,
      region: e.S3_REGION,
      bucket: e.S3_BUCKET,
      accessKeyId: e.S3_ACCESS_KEY_ID,
      secretAccessKey: e.S3_SECRET_ACCESS_KEY,
      forcePathStyle: e.S3_FORCE_PATH_STYLE ?? Boolean(e.S3_ENDPOINT),
      sse: e.S3_SSE,
      sseKmsKeyId: e.S3_SSE_KMS_KEY_ID,
      publicEndpoint: e.S3_PUBLIC_ENDPOINT,
      presignTtlSeconds: e.FREIGHT_ARTIFACT_URL_TTL_SECONDS,
    },
    auth: {
      adminApiKey: e.FREIGHT_ADMIN_API_KEY,
      jwtSecret: e.FREIGHT_JWT_SECRET,
      jwksUrl: e.FREIGHT_JWT_JWKS_URL,
      jwtIssuer: e.FREIGHT_JWT_ISSUER,
      jwtAudience: e.FREIGHT_JWT_AUDIENCE,
    },
    rateLimit: { perMinute: e.FREIGHT_API_RATE_LIMIT_PER_MIN, burst: e.FREIGHT_API_RATE_LIMIT_BURST },
    worker: {
      shutdownGraceMs: e.FREIGHT_WORKER_SHUTDOWN_GRACE_MS,
      // Past the grace period, activities that ignore cancellation get 10 s more before the Worker gives up on them.
      shutdownForceMs: e.FREIGHT_WORKER_SHUTDOWN_FORCE_MS ?? e.FREIGHT_WORKER_SHUTDOWN_GRACE_MS + 10_000,
      idleStopMs: e.FREIGHT_WORKER_IDLE_STOP_MS,
      maxNamespaces: e.FREIGHT_WORKER_MAX_NAMESPACES,
      maxConcurrentActivities: e.FREIGHT_WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentWorkflowTasks: e.FREIGHT_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxCachedWorkflows: e.FREIGHT_WORKER_MAX_CACHED_WORKFLOWS,
      // Activities hold a connection only inside their transactions, so this many never wait for one;
      // the demand loop, leases, heartbeat and reconciler share the few more.
      dbPoolMax: e.FREIGHT_WORKER_DB_POOL_MAX ?? e.FREIGHT_WORKER_MAX_CONCURRENT_ACTIVITIES + WORKER_OWN_CONNECTIONS,
      leaseTtlMs: e.FREIGHT_WORKER_LEASE_TTL_MS,
      yieldAfterMs: e.FREIGHT_WORKER_YIELD_AFTER_MS,
    },
    metrics: {
      token: e.FREIGHT_METRICS_TOKEN,
      host: e.FREIGHT_METRICS_HOST,
      workerPort: e.FREIGHT_WORKER_METRICS_PORT,
      temporalPort: e.FREIGHT_TEMPORAL_METRICS_PORT,
      heartbeatMs: e.FREIGHT_WORKER_HEARTBEAT_MS,
    },
    connectors: {
      byType: limits.data,
      writeConcurrency: e.FREIGHT_WRITE_CONCURRENCY,
      requestTimeoutMs: e.FREIGHT_CONNECTOR_TIMEOUT_MS,
      budgetStore: e.FREIGHT_RATE_BUDGET_STORE,
      grantMs: e.FREIGHT_RATE_GRANT_MS,
    },
    jobs: { maxHistoryEvents: e.FREIGHT_JOB_MAX_HISTORY_EVENTS, retryWindowHours: e.FREIGHT_JOB_RETRY_WINDOW_HOURS },
    outbound: { allowHosts: parseAllowHosts(e.FREIGHT_OUTBOUND_ALLOW_HOSTS) },
    webhooks: {
      retry: {
        initialIntervalMs: e.FREIGHT_WEBHOOK_RETRY_INITIAL_MS, backoffCoefficient: e.FREIGHT_WEBHOOK_RETRY_BACKOFF,
        maximumIntervalMs: e.FREIGHT_WEBHOOK_RETRY_MAX_INTERVAL_MS, giveUpAfterMs: Math.round(e.FREIGHT_WEBHOOK_GIVE_UP_HOURS * 3_600_000),
        requestTimeoutMs: e.FREIGHT_WEBHOOK_TIMEOUT_MS,
      },
      relayIntervalMs: e.FREIGHT_WEBHOOK_RELAY_INTERVAL_MS,
      relay: e.FREIGHT_WEBHOOK_RELAY === 'on',
    },
    encryptionKeys: (e.FREIGHT_ENCRYPTION_KEYS ?? '').split(',').filter(Boolean).map((pair) => {
      const [id = '', b64 = ''] = pair.split(':');
      return { id, key: Buffer.from(b64, 'base64') };
    }),
  };
}
