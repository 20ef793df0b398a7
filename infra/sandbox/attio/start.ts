import type { Logger } from 'pino';
import { createContractRecorder, type ContractChecker, type ContractRecorder } from '../core/contract.ts';
import { createControlHandler } from '../core/control.ts';
import { createFaultInjector, type FaultConfigInput, type FaultInjector } from '../core/faults.ts';
import { listen } from '../core/http-server.ts';
import { createPipeline } from '../core/pipeline.ts';
import { createStats, type Stats } from '../core/stats.ts';
import { createAttioControlRoutes } from './control.ts';
import { persistWorkspace, type PersistOptions } from './persist/persistence.ts';
import { createPoisonGuard, type PoisonConfigInput, type PoisonGuard } from './poison.ts';
import { createAttioRateLimiter, type AttioLimitsInput, type AttioRateLimiter } from './rate-limit.ts';
import { createAttioRequestCounter, type AttioRequestCounter } from './request-counts.ts';
import { createAttioSurface } from './surface.ts';
import { createTokenRegistry, type TokenRegistry } from './tokens.ts';
import { createWorkspace, type Workspace, type WorkspaceOptions } from './workspace/workspace.ts';

export const DEFAULT_ATTIO_TOKEN = 'attio-sandbox-token';

export interface AttioSandboxOptions {
  /** Default 127.0.0.1; keep the sandbox on loopback. */
  host?: string;
  /** 0 (default) picks an ephemeral port. */
  port?: number;
  /** Accepted bearer tokens (default ["attio-sandbox-token"]), all of the one workspace: they share its rate limits. */
  tokens?: string[];
  /**
   * Scopes of some tokens (space-separated), as GET /v2/self reports them; the others have every scope
   * a migration uses. Reported only: the sandbox does not refuse calls outside a token's scopes, because
   * the spec does not show the error Attio answers then.
   */
  scopes?: Record<string, string>;
  /** readsPerSecond (default 100) and writesPerSecond (default 25) per workspace; 0 turns a limit off. */
  limits?: AttioLimitsInput;
  faults?: FaultConfigInput;
  /** Poison switch (default: enabled, marker "__poison__"). */
  poison?: PoisonConfigInput;
  /** deals object on/off, the seeded workspace member, note size limit. */
  workspace?: Omit<WorkspaceOptions, 'now'>;
  /** Required as x-sandbox-admin-token on /__sandbox/* when set. */
  adminToken?: string;
  /** Largest request body in bytes (default 10 MiB); larger → 413. */
  bodyLimitBytes?: number;
  logger?: Logger;
  /**
   * Checks every API exchange against the vendor's published schemas (off when unset): results at
   * GET /__sandbox/contract and in /__sandbox/stats.
   */
  contract?: ContractChecker;
  /** Clock for rate-limit windows, Retry-After and timestamps (tests pass a fake one). */
  now?: () => number;
  /**
   * Keep the workspace in this folder across restarts (off by default): the saved state is loaded at
   * start, changes are written within `flushMs` (100 ms). See persist/persistence.ts.
   */
  state?: Omit<PersistOptions, 'logger'>;
}

export interface AttioSandbox {
  url: string;
  host: string;
  port: number;
  /** The first accepted token: send it as `Authorization: Bearer <token>`. */
  token: string;
  tokens: string[];
  /** Revoke or add tokens at run time (also `GET|POST /__sandbox/tokens`). */
  tokenRegistry: TokenRegistry;
  workspace: Workspace;
  faults: FaultInjector;
  limiter: AttioRateLimiter;
  poison: PoisonGuard;
  stats: Stats;
  /** API requests served, by endpoint (also GET /__sandbox/requests; reset with the stats). */
  requests: AttioRequestCounter;
  /** Set when started with a contract checker. */
  contract?: ContractRecorder;
  close(): Promise<void>;
}

/** Starts the Attio v2 sandbox with an empty workspace (people, companies, deals), or the one saved in `state.dir`. */
export async function startAttioSandbox(options: AttioSandboxOptions = {}): Promise<AttioSandbox> {
  const now = options.now ?? Date.now;
  const tokens = options.tokens && options.tokens.length > 0 ? options.tokens : [DEFAULT_ATTIO_TOKEN];
  const workspace = createWorkspace({ ...options.workspace, now });
  const persistence = options.state ? await persistWorkspace(workspace, { ...options.state, logger: options.logger }) : undefined;
  const limiter = createAttioRateLimiter(options.limits ?? {}, now);
  const faults = createFaultInjector(options.faults ?? {});
  const poison = createPoisonGuard(options.poison ?? {});
  const requests = createAttioRequestCounter();
  // One reset for both: POST /__sandbox/stats/reset and /__sandbox/reset clear the per-endpoint counts too.
  const baseStats = createStats(now);
  const stats: Stats = { ...baseStats, reset: () => { baseStats.reset(); requests.reset(); } };
  const contract = options.contract ? createContractRecorder(options.contract) : undefined;
  const tokenRegistry = createTokenRegistry(tokens);
  const control = createControlHandler({
    faults,
    stats,
    limits: { get: limiter.limits, update: limiter.update, replace: limiter.replace },
    routes: createAttioControlRoutes({ ws: workspace, poison, limiter, stats, contract, tokens: tokenRegistry, requests }),
    contract,
  });
  const listener = createPipeline({
    api: createAttioSurface({ ws: workspace, tokens: tokenRegistry, limiter, poison, requests, ...(options.scopes ? { scopes: options.scopes } : {}) }),
    control,
    faults,
    stats,
    adminToken: options.adminToken,
    contract,
    bodyLimitBytes: options.bodyLimitBytes ?? 10 * 1024 * 1024,
    logger: options.logger,
  });
  const server = await listen(listener, { host: options.host ?? '127.0.0.1', port: options.port ?? 0 }).catch((err: unknown) => {
    persistence?.close();
    throw err;
  });
  options.logger?.info({ url: server.url, limits: limiter.limits() }, 'attio sandbox listening');
  return {
    url: server.url, host: server.host, port: server.port, token: tokens[0] as string, tokens, tokenRegistry,
    workspace, faults, limiter, poison, stats, requests, ...(contract ? { contract } : {}),
    async close() {
      // Requests in flight finish first, so their changes are in the final flush.
      await server.close();
      persistence?.close();
    },
  };
}
