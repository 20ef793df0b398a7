import type { Dispatcher } from 'undici';
import type { Logger } from '../../../../shared/logger.ts';
import { TRANSIENT } from '../../../../shared/error-kinds.ts';
import type { BudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import type { RateBudget } from '../../../connectors/budget/rate-budget.ts';
import { isConnectorError } from '../../../connectors/connector-error.ts';
import { createHttpClient, sharedDispatcher, type HttpClient, type HttpClientStats, type QueryValue } from '../../../connectors/http/http-client.ts';
import { systemClock, type Clock } from '../../../connectors/http/sleep.ts';
import { downloadBytes } from './ps-download.ts';
import { classifyPsError } from './ps-errors.ts';
import { relativeNextHref } from './ps-next-url.ts';

export const PS_DEFAULT_BASE_URL = 'https://public-api.process.st/api/v1.1';
/** Inferred: Process Street publishes no number, only "all requests are limited; on 429 wait Retry-After". */
export const PS_DEFAULT_REQUESTS_PER_SEC = 10;

export type PsQuery = Array<[string, QueryValue]>;

export interface PsClientOptions {
  /** `https://public-api.process.st/api/v1.1` (default), or a sandbox URL ending in `/api/v1.1`. */
  baseUrl?: string;
  /** SCIM 2.0 base; default the API host's root + `/api/scim`. */
  scimBaseUrl?: string;
  apiKey: string;
  /** Process-wide budgets: every job reading with the same key shares one per-key budget. */
  budgets: BudgetRegistry;
  /** Per-key pace (inferred default 10/s); Infinity against a sandbox with limits off. */
  requestsPerSec?: number;
  /** The outbound policy's dispatcher for tenant connections (default: the shared unchecked pool). */
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  max429Retries?: number;
  /** Retries of 5xx, timeouts and connection resets inside the client (default 3), with exponential backoff. */
  maxTransientRetries?: number;
  /** First backoff of a transient retry (default 500 ms, doubled each time, ±25% jitter). */
  transientBackoffMs?: number;
  /** Largest attachment `download` accepts (default 100 MiB). */
  maxDownloadBytes?: number;
  logger?: Logger;
  clock?: Clock;
}

export interface PsClient {
  readonly baseUrl: string;
  /** GET a path under the v1.1 base. */
  get<T>(path: string, query?: PsQuery, signal?: AbortSignal): Promise<T>;
  /** Follows a `links[name=next].href`, which must stay on the configured origin under the base path. */
  getNext<T>(href: string, signal?: AbortSignal): Promise<T>;
  /** GET a path under the SCIM base (`/Groups`, `/Users`). */
  getScim<T>(path: string, query?: PsQuery, signal?: AbortSignal): Promise<T>;
  /** The bytes behind an attachment href on the API's own host (any other host is refused). */
  download(url: string, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
  budget: RateBudget;
  stats(): HttpClientStats;
}

/**
 * Process Street client: `X-API-KEY` on every call, one per-key budget for v1.1 and SCIM alike,
 * 429 answered by waiting `Retry-After` (inside the shared HTTP client), and — unlike the shared
 * client, which leaves them to the activity — 5xx, timeouts and resets retried a few times here:
 * a source page is many calls (sub-reads per run), and one lost call should not re-read them all.
 */
export function createPsClient(options: PsClientOptions): PsClient {
  const clock = options.clock ?? systemClock;
  const baseUrl = (options.baseUrl ?? PS_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const scimBaseUrl = (options.scimBaseUrl ?? `${new URL(baseUrl).origin}/api/scim`).replace(/\/+$/, '');
  const maxTransient = options.maxTransientRetries ?? 3;
  const backoffMs = options.transientBackoffMs ?? 500;
  const dispatcher = options.dispatcher ?? sharedDispatcher();
  const budget = options.budgets.get(
    { system: 'process-street', scope: options.apiKey, kind: 'request' },
    { limitPerSec: options.requestsPerSec ?? PS_DEFAULT_REQUESTS_PER_SEC, clock },
  );
  const httpFor = (url: string): HttpClient => createHttpClient({
    name: 'Process Street',
    ...(options.logger ? { logger: options.logger } : {}),
    baseUrl: url,
    headers: { 'x-api-key': options.apiKey },
    secrets: [options.apiKey],
    classifyError: classifyPsError,
    dispatcher,
    timeoutMs: options.timeoutMs,
    max429Retries: options.max429Retries,
    clock,
  });
  const api = httpFor(baseUrl);
  const scim = httpFor(scimBaseUrl);

  async function withRetries<T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        if (signal?.aborted || attempt >= maxTransient || !isConnectorError(error) || error.kind !== TRANSIENT) throw error;
        await clock.sleep(Math.round(backoffMs * 2 ** attempt * (0.75 + Math.random() * 0.5)), signal);
      }
    }
  }

  const get = <T>(http: HttpClient, path: string, query: PsQuery | undefined, signal: AbortSignal | undefined): Promise<T> =>
    withRetries(signal, async () => (await http.request<T>({ method: 'GET', path, query, budget, signal })).body);

  return {
    baseUrl,
    budget,
    get: (path, query, signal) => get(api, path, query, signal),
    getNext: async (href, signal) => {
      const { path, query } = relativeNextHref(href, baseUrl);
      return get(api, path, query, signal);
    },
    getScim: (path, query, signal) => get(scim, path, query, signal),
    download: (url, opts = {}) => withRetries(opts.signal, () => downloadBytes({
      url, baseUrl, apiKey: options.apiKey, dispatcher, budget, signal: opts.signal,
      timeoutMs: options.timeoutMs ?? 60_000, maxBytes: options.maxDownloadBytes ?? 100 * 1024 * 1024, clock,
    })),
    stats: () => {
      const a = api.stats();
      const b = scim.stats();
      return { requests: a.requests + b.requests, rateLimited: a.rateLimited + b.rateLimited, failures: a.failures + b.failures };
    },
  };
}
