import type { Logger } from 'pino';
import { createContractRecorder, type ContractChecker, type ContractRecorder } from '../core/contract.ts';
import { createControlHandler } from '../core/control.ts';
import { createFaultInjector, type FaultConfigInput, type FaultInjector } from '../core/faults.ts';
import { listen } from '../core/http-server.ts';
import { createPipeline } from '../core/pipeline.ts';
import { createStats, type Stats } from '../core/stats.ts';
import { generateAffinityAccount, type AffinityAccount } from '../generator/index.ts';
import { createMutableAccount } from '../generator/mutations.ts';
import { createAffinityControlRoutes } from './control.ts';
import { createAffinityRateLimiter, type AffinityLimitsInput, type AffinityRateLimiter } from './rate-limit.ts';
import { createRequestCounter, type RequestCounter } from './request-counts.ts';
import { createAffinitySurface } from './surface.ts';
import type { AffinityPermission } from './v2/permissions.ts';

export const DEFAULT_AFFINITY_KEY = 'affinity-sandbox-key';

export interface AffinitySandboxOptions {
  /** Generator seed (default 1); ignored when `account` is given. */
  seed?: number | string;
  /** Generator size (default 1000); ignored when `account` is given. */
  size?: number;
  /** Share of records marked poison (default 0). */
  poisonRate?: number;
  /** Every person belongs to ≥ 1 organization (default false); ignored when `account` is given. */
  everyPersonHasCompany?: boolean;
  /** A pre-generated account (shares nothing mutable: accounts are pure). */
  account?: AffinityAccount;
  /** Default 127.0.0.1; the sandbox has no real security, keep it on loopback. */
  host?: string;
  /** 0 (default) picks an ephemeral port. */
  port?: number;
  /** Accepted API keys (default ["affinity-sandbox-key"]); each has its own per-minute pool. */
  apiKeys?: string[];
  /** Permissions the user of a key lacks (names as in the v2 spec, see v2/permissions.ts): v2 calls needing one answer 403. */
  deniedPermissions?: Record<string, readonly AffinityPermission[]>;
  /** perMinute (default 900) and monthly (default 100000); 0 turns a pool off. */
  limits?: AffinityLimitsInput;
  faults?: FaultConfigInput;
  /** Required as x-sandbox-admin-token on /__sandbox/* when set. */
  adminToken?: string;
  logger?: Logger;
  /**
   * Checks every API exchange against the vendor's published schemas (off when unset): results at
   * GET /__sandbox/contract and in /__sandbox/stats.
   */
  contract?: ContractChecker;
  /** Clock for rate-limit windows (tests pass a fake one). */
  now?: () => number;
}

export interface AffinitySandbox {
  url: string;
  host: string;
  port: number;
  /** The first accepted key: use it as the Basic auth password. */
  apiKey: string;
  apiKeys: string[];
  account: AffinityAccount;
  faults: FaultInjector;
  limiter: AffinityRateLimiter;
  stats: Stats;
  /** API requests by version and endpoint (also GET /__sandbox/requests). */
  requests: RequestCounter;
  /** Set when started with a contract checker. */
  contract?: ContractRecorder;
  close(): Promise<void>;
}

/** Starts the Affinity sandbox (v1 at the root, v2 under /v2) over a generated account. */
export async function startAffinitySandbox(options: AffinitySandboxOptions = {}): Promise<AffinitySandbox> {
  const now = options.now ?? Date.now;
  // Every route reads through the mutable view: the control API's source changes (delta tests) show everywhere.
  const mutable = createMutableAccount(options.account ?? generateAffinityAccount({
    seed: options.seed ?? 1, size: options.size ?? 1000, poisonRate: options.poisonRate ?? 0, everyPersonHasCompany: options.everyPersonHasCompany ?? false,
  }), now);
  const { account } = mutable;
  const apiKeys = options.apiKeys && options.apiKeys.length > 0 ? options.apiKeys : [DEFAULT_AFFINITY_KEY];
  const limiter = createAffinityRateLimiter(options.limits ?? {}, now);
  const faults = createFaultInjector(options.faults ?? {});
  const stats = createStats(now);
  const requests = createRequestCounter();
  // The shared stats reset (POST /__sandbox/stats/reset) clears the request counts too: one "since".
  const controlStats: Stats = { ...stats, reset: () => { stats.reset(); requests.reset(); } };
  const contract = options.contract ? createContractRecorder(options.contract) : undefined;
  const control = createControlHandler({
    faults, stats: controlStats, limits: { get: limiter.limits, update: limiter.update, replace: limiter.replace },
    routes: createAffinityControlRoutes({ account, limiter, stats: controlStats, requests, mutate: mutable.apply }), contract,
  });
  const listener = createPipeline({
    api: createAffinitySurface({ account, apiKeys: new Set(apiKeys), limiter, requests, ...(options.deniedPermissions ? { deniedPermissions: options.deniedPermissions } : {}) }),
    control,
    faults,
    stats,
    adminToken: options.adminToken,
    contract,
    bodyLimitBytes: 1024 * 1024,
    logger: options.logger,
  });
  const server = await listen(listener, { host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  options.logger?.info({ url: server.url, seed: account.seed, size: account.size, counts: account.counts }, 'affinity sandbox listening');
  return {
    url: server.url,
    host: server.host,
    port: server.port,
    apiKey: apiKeys[0] as string,
    apiKeys,
    account,
    faults,
    limiter,
    stats,
    requests,
    ...(contract ? { contract } : {}),
    close: server.close,
  };
}
