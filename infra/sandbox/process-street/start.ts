import type { Logger } from 'pino';
import { createContractRecorder, type ContractChecker, type ContractRecorder } from '../core/contract.ts';
import { createControlHandler } from '../core/control.ts';
import { createFaultInjector, type FaultConfigInput, type FaultInjector } from '../core/faults.ts';
import { listen } from '../core/http-server.ts';
import { createPipeline } from '../core/pipeline.ts';
import { createStats, type Stats } from '../core/stats.ts';
import { createProcessStreetControlRoutes } from './control.ts';
import { generateProcessStreetOrganization, type ProcessStreetOrganization } from './generator/index.ts';
import { withRawBodies } from './raw-replies.ts';
import { createProcessStreetRateLimiter, type ProcessStreetLimitsInput, type ProcessStreetRateLimiter } from './rate-limit.ts';
import { createRequestCounter, withRequestCounts, type RequestCounter } from './request-counts.ts';
import { API_PREFIX, SCIM_PREFIX } from './routes/context.ts';
import { createProcessStreetRouter, createProcessStreetSurface, endpointOf } from './surface.ts';

export const DEFAULT_PROCESS_STREET_KEY = 'process-street-sandbox-key';

export interface ProcessStreetSandboxOptions {
  /** Generator seed (default 1); ignored when `organization` is given. */
  seed?: number | string;
  /** Generator scale (default 1: ≥ 2,000 objects); ignored when `organization` is given. */
  size?: number;
  /** A pre-generated organisation (read-only: the sandbox never changes it). */
  organization?: ProcessStreetOrganization;
  /** Default 127.0.0.1; the sandbox has no real security, keep it on loopback. */
  host?: string;
  /** 0 (default) picks an ephemeral port. */
  port?: number;
  /** Accepted X-API-KEY values (default ["process-street-sandbox-key"]); each has its own rate limit. */
  apiKeys?: string[];
  /** perSecond per key (default 10, inferred); 0 turns limiting off. */
  limits?: ProcessStreetLimitsInput;
  faults?: FaultConfigInput;
  /** Required as x-sandbox-admin-token on /__sandbox/* when set. */
  adminToken?: string;
  logger?: Logger;
  /**
   * Checks every API exchange (off when unset; pass `checkProcessStreetContract`): results at
   * GET /__sandbox/contract and in /__sandbox/stats.
   */
  contract?: ContractChecker;
  /** Clock of the rate limiter and stats (tests pass a fake one). */
  now?: () => number;
}

export interface ProcessStreetSandbox {
  /** Base of the v1.1 API: `http://host:port/api/v1.1`. */
  url: string;
  /** Base of SCIM: `http://host:port/api/scim`. */
  scimUrl: string;
  /** Server root (where /__sandbox lives). */
  rootUrl: string;
  host: string;
  port: number;
  apiKey: string;
  apiKeys: string[];
  organization: ProcessStreetOrganization;
  faults: FaultInjector;
  limiter: ProcessStreetRateLimiter;
  stats: Stats;
  /** API calls by endpoint and status (also GET /__sandbox/requests). */
  requests: RequestCounter;
  /** Set when started with a contract checker. */
  contract?: ContractRecorder;
  close(): Promise<void>;
}

/** Starts the Process Street sandbox (v1.1 under /api/v1.1, SCIM under /api/scim) over a generated organisation. */
export async function startProcessStreetSandbox(options: ProcessStreetSandboxOptions = {}): Promise<ProcessStreetSandbox> {
  const now = options.now ?? Date.now;
  const organization = options.organization ?? generateProcessStreetOrganization({ seed: options.seed ?? 1, size: options.size ?? 1 });
  const apiKeys = options.apiKeys && options.apiKeys.length > 0 ? options.apiKeys : [DEFAULT_PROCESS_STREET_KEY];
  const keyLabels = new Map(apiKeys.map((key, i) => [key, `Sandbox key ${i + 1}`]));
  const limiter = createProcessStreetRateLimiter(options.limits ?? {}, now);
  const faults = createFaultInjector(options.faults ?? {});
  const stats = createStats(now);
  const requests = createRequestCounter();
  // The shared stats reset (POST /__sandbox/stats/reset) clears the request counts too: one "since".
  const controlStats: Stats = { ...stats, reset: () => { stats.reset(); requests.reset(); } };
  const contract = options.contract ? createContractRecorder(options.contract) : undefined;
  const control = createControlHandler({
    faults, stats: controlStats, limits: { get: limiter.limits, update: limiter.update, replace: limiter.replace },
    routes: createProcessStreetControlRoutes({ org: organization, limiter, stats: controlStats, requests }), contract,
  });
  const router = createProcessStreetRouter();
  const pipeline = createPipeline({
    api: createProcessStreetSurface({ org: organization, keyLabels, limiter, router }),
    control, faults, stats, contract, adminToken: options.adminToken, bodyLimitBytes: 1024 * 1024, logger: options.logger,
  });
  const server = await listen(withRequestCounts(withRawBodies(pipeline), requests, endpointOf(router)), { host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  options.logger?.info({ url: server.url, seed: organization.seed, size: organization.size, counts: organization.counts }, 'process street sandbox listening');
  return {
    url: `${server.url}${API_PREFIX}`,
    scimUrl: `${server.url}${SCIM_PREFIX}`,
    rootUrl: server.url,
    host: server.host,
    port: server.port,
    apiKey: apiKeys[0] as string,
    apiKeys,
    organization,
    faults,
    limiter,
    stats,
    requests,
    ...(contract ? { contract } : {}),
    close: server.close,
  };
}
