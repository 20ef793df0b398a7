import type { Logger } from 'pino';
import { createControlHandler } from '../core/control.ts';
import { createFaultInjector, type FaultConfigInput, type FaultInjector } from '../core/faults.ts';
import { listen } from '../core/http-server.ts';
import { hashString } from '../core/prng.ts';
import { createPipeline } from '../core/pipeline.ts';
import { createStats, type Stats } from '../core/stats.ts';
import { createTallyfyControlRoutes } from './control.ts';
import { inspectOrganization, type OrganizationSnapshot } from './inspect.ts';
import { createOrganization, type Organization } from './organization.ts';
import { createTallyfyRateLimiter, type TallyfyLimitsInput, type TallyfyRateLimiter } from './rate-limit.ts';
import { withRawAccess } from './raw-http.ts';
import { createRequestCounter, type RequestCounter } from './request-counts.ts';
import { createTallyfySurface } from './surface.ts';
import { createTokenStore, type Grant, type OAuthClient } from './tokens.ts';

export const DEFAULT_TALLYFY_TOKEN = 'tallyfy-sandbox-token';
export const DEFAULT_TALLYFY_ORG = '0123456789abcdef0123456789abcdef';
export const DEFAULT_OAUTH_CLIENT: OAuthClient = { clientId: 'tallyfy-sandbox-client', clientSecret: 'tallyfy-sandbox-secret', clientCredentials: true };

export interface TallyfySandboxOptions {
  /** Default 127.0.0.1; keep the sandbox on loopback. */
  host?: string;
  /** 0 (default) picks an ephemeral port. */
  port?: number;
  /** The organisation id in every path (default a fixed 32-hex id). */
  organizationId?: string;
  /** Personal access tokens, all acting as the organisation's admin member (default ["tallyfy-sandbox-token"]). */
  tokens?: string[];
  /** Clients /oauth/token accepts (default one, with client_credentials). */
  oauthClients?: OAuthClient[];
  /** The password the password grant accepts for any member's email (sandbox-only; default "sandbox-password"). */
  password?: string;
  /** perMinute (600), burstPerSecond (perMinute / 30 = 20, inferred), commentsPerHour (120), invitesPerHour (30), windowScale (1). */
  limits?: TallyfyLimitsInput;
  faults?: FaultConfigInput;
  /** Required as x-sandbox-admin-token on /__sandbox/* when set. */
  adminToken?: string;
  /** Seed of the generated ids (default 1). */
  seed?: number;
  /** Largest JSON body (default 10 MiB); /file takes up to fileLimitBytes (100 MB). */
  bodyLimitBytes?: number;
  fileLimitBytes?: number;
  logger?: Logger;
  /** Clock for rate-limit windows, Retry-After and every timestamp (tests pass a fake one). */
  now?: () => number;
}

export interface TallyfySandbox {
  /** The https://api.tallyfy.com style root: `${url}/organizations/${organizationId}/…`. */
  url: string;
  /** The https://go.tallyfy.com/api style base (`${url}/api`); the same API. */
  goUrl: string;
  organizationId: string;
  /** The first personal token: `Authorization: Bearer <token>` plus `X-Tallyfy-Client: APIClient`. */
  token: string;
  oauthClient: OAuthClient;
  org: Organization;
  limiter: TallyfyRateLimiter;
  faults: FaultInjector;
  stats: Stats;
  requests: RequestCounter;
  inspect(): OrganizationSnapshot;
  close(): Promise<void>;
}

/** Starts the Tallyfy sandbox: one organisation with its admin member, empty otherwise, receiving writes. */
export async function startTallyfySandbox(options: TallyfySandboxOptions = {}): Promise<TallyfySandbox> {
  const now = options.now ?? Date.now;
  const organizationId = options.organizationId ?? DEFAULT_TALLYFY_ORG;
  const org = createOrganization({ id: organizationId, seed: options.seed ?? hashString(organizationId), now });
  const personal = options.tokens && options.tokens.length > 0 ? options.tokens : [DEFAULT_TALLYFY_TOKEN];
  // Personal tokens act as whoever is the admin now (the admin is recreated on reset, with the same id).
  const staticTokens = new Map<string, Grant>(personal.map((t) => [t, { kind: 'user', userId: org.admin.id }]));
  const tokens = createTokenStore(staticTokens, now);
  const oauthClients = options.oauthClients ?? [DEFAULT_OAUTH_CLIENT];
  const limiter = createTallyfyRateLimiter(options.limits ?? {}, now);
  const faults = createFaultInjector(options.faults ?? {});
  const stats = createStats(now);
  const requests = createRequestCounter();
  let baseUrl = '';
  const control = createControlHandler({
    faults, stats,
    limits: { get: limiter.limits, update: limiter.update, replace: limiter.replace },
    routes: createTallyfyControlRoutes({ org, limiter, counts: requests, tokens, stats }),
  });
  const api = createTallyfySurface({
    org, tokens, limiter, counts: requests, oauthClients, password: options.password ?? 'sandbox-password',
    fileLimitBytes: options.fileLimitBytes ?? 100 * 1024 * 1024, baseUrl: () => baseUrl,
  });
  const listener = createPipeline({
    api, control, faults, stats, adminToken: options.adminToken,
    bodyLimitBytes: options.bodyLimitBytes ?? 10 * 1024 * 1024, logger: options.logger,
  });
  const server = await listen(withRawAccess(listener), { host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  baseUrl = server.url;
  options.logger?.info({ url: server.url, organizationId, limits: limiter.limits() }, 'tallyfy sandbox listening');
  return {
    url: server.url, goUrl: `${server.url}/api`, organizationId, token: personal[0] as string, oauthClient: oauthClients[0] ?? DEFAULT_OAUTH_CLIENT,
    org, limiter, faults, stats, requests,
    inspect: () => inspectOrganization(org),
    close: () => server.close(),
  };
}
