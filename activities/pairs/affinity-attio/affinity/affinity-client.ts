import type { Dispatcher } from 'undici';
import type { Logger } from '../../../../shared/logger.ts';
import type { BudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import type { RateBudget } from '../../../connectors/budget/rate-budget.ts';
import { createHttpClient, type HttpClientStats, type QueryValue, type ResponseHeaders } from '../../../connectors/http/http-client.ts';
import { intHeader } from '../../../connectors/http/retry-after.ts';
import { systemClock, type Clock } from '../../../connectors/http/sleep.ts';
import { classifyAffinityError } from './affinity-errors.ts';
import { relativeNextUrl } from './affinity-next-url.ts';

export interface AffinityClientOptions {
  /** https://api.affinity.co, or a sandbox URL. */
  baseUrl: string;
  apiKey: string;
  /** Process-wide budgets (shared across processes with a store): every job reading with the same key shares the per-user limit. */
  budgets: BudgetRegistry;
  /** Documented per-user limit (900/min); the headers refine it at run time. */
  requestsPerMinute?: number;
  /** Below this share of the per-minute pool left, calls are spread over the rest of the window. */
  lowRemainingShare?: number;
  fetch?: typeof fetch;
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  max429Retries?: number;
  logger?: Logger;
  clock?: Clock;
}

/** Last rate-limit headers seen (`X-Ratelimit-Limit-User-*` per minute, `-Org-*` monthly). */
export interface AffinityRateState {
  userLimit?: number;
  userRemaining?: number;
  userResetSec?: number;
  orgLimit?: number;
  orgRemaining?: number;
  orgResetSec?: number;
}

export interface AffinityRateLimitReport {
  orgMonthly: { limit: number | null; remaining: number | null; reset: number | null; used: number | null };
  perMinute: { limit: number | null; remaining: number | null; reset: number | null; used: number | null };
}

export interface AffinityClient {
  /** v1 (`/persons`, `/lists`, `/rate-limit`…): Basic auth. */
  get<T>(path: string, query?: Array<[string, QueryValue]>, signal?: AbortSignal): Promise<T>;
  /** v2 (`/v2/…`): Bearer auth, same key, same rate-limit pool. */
  getV2<T>(path: string, query?: Array<[string, QueryValue]>, signal?: AbortSignal): Promise<T>;
  /** Follows a v2 `pagination.nextUrl`, which must stay on the configured origin under `/v2/`. */
  getNext<T>(nextUrl: string, signal?: AbortSignal): Promise<T>;
  /** `GET /rate-limit` (does not count against the monthly quota). */
  rateLimit(signal?: AbortSignal): Promise<AffinityRateLimitReport>;
  rateState(): AffinityRateState;
  budget: RateBudget;
  stats(): HttpClientStats;
}

/**
 * Affinity client for both API versions: v1 with Basic auth (key as password), v2 with Bearer
 * auth (the v2 spec's scheme), one key and one budget, because Affinity counts both versions
 * against the same per-minute and monthly pools. Calls are paced by a per-key budget
 * that also listens to the rate-limit headers: when the minute's pool runs low the rate is capped
 * to what is left until the reset; when it is empty every caller waits for the reset.
 */
export function createAffinityClient(options: AffinityClientOptions): AffinityClient {
  const clock = options.clock ?? systemClock;
  const perMinute = options.requestsPerMinute ?? 900;
  const lowShare = options.lowRemainingShare ?? 0.1;
  const budget = options.budgets.get(
    { system: 'affinity', scope: options.apiKey, kind: 'request' },
    { limitPerSec: perMinute / 60, ceiling: 0.98, clock },
  );
  const state: AffinityRateState = {};

  const observe = (headers: ResponseHeaders): void => {
    const read = (name: string) => intHeader(headers, name);
    const userLimit = read('x-ratelimit-limit-user');
    const userRemaining = read('x-ratelimit-limit-user-remaining');
    const userReset = read('x-ratelimit-limit-user-reset');
    if (userLimit !== undefined) state.userLimit = userLimit;
    if (userRemaining !== undefined) state.userRemaining = userRemaining;
    if (userReset !== undefined) state.userResetSec = userReset;
    const orgLimit = read('x-ratelimit-limit-org');
    const orgRemaining = read('x-ratelimit-limit-org-remaining');
    const orgReset = read('x-ratelimit-limit-org-reset');
    if (orgLimit !== undefined) state.orgLimit = orgLimit;
    if (orgRemaining !== undefined) state.orgRemaining = orgRemaining;
    if (orgReset !== undefined) state.orgResetSec = orgReset;
    // The pool's size is what the headers say (it "may be lowered temporarily"); "unlimited" = no pacing.
    const rawLimit = headers.get('x-ratelimit-limit-user');
    if (userLimit !== undefined && userLimit > 0) budget.setLimit(userLimit / 60);
    else if (rawLimit !== null && /unlimited/i.test(rawLimit)) budget.setLimit(Infinity);
    if (userRemaining === undefined || userReset === undefined) return;
    const resetMs = Math.max(0, userReset) * 1000;
    if (userRemaining <= 0) {
      budget.pauseFor(resetMs + 50);
    } else if (userLimit !== undefined && userRemaining < userLimit * lowShare && resetMs > 0) {
      // Spread what is left over the rest of the window instead of burning it and hitting 429.
      budget.capRate((userRemaining / resetMs) * 1000, clock.now() + resetMs);
    }
  };

  const httpFor = (authorization: string) => createHttpClient({
    name: 'Affinity',
    ...(options.logger ? { logger: options.logger } : {}),
    baseUrl: options.baseUrl,
    headers: { authorization },
    secrets: [options.apiKey],
    classifyError: (failed) => classifyAffinityError(failed, state.orgRemaining),
    onResponse: ({ headers }) => observe(headers),
    fetch: options.fetch,
    dispatcher: options.dispatcher,
    timeoutMs: options.timeoutMs,
    max429Retries: options.max429Retries,
    clock,
  });
  const http = httpFor(`Basic ${Buffer.from(`:${options.apiKey}`).toString('base64')}`);
  const httpV2 = httpFor(`Bearer ${options.apiKey}`);

  return {
    budget,
    async get<T>(path: string, query?: Array<[string, QueryValue]>, signal?: AbortSignal): Promise<T> {
      const res = await http.request<T>({ method: 'GET', path, query, budget, signal });
      return res.body;
    },
    async getV2<T>(path: string, query?: Array<[string, QueryValue]>, signal?: AbortSignal): Promise<T> {
      const res = await httpV2.request<T>({ method: 'GET', path, query, budget, signal });
      return res.body;
    },
    async getNext<T>(nextUrl: string, signal?: AbortSignal): Promise<T> {
      const { path, query } = relativeNextUrl(nextUrl, options.baseUrl);
      const res = await httpV2.request<T>({ method: 'GET', path, query, budget, signal });
      return res.body;
    },
    async rateLimit(signal) {
      // Not paced by the budget: Affinity does not count it, and the planner calls it before a job.
      const res = await http.request<{ rate?: Record<string, Record<string, number | null> | undefined> }>({ method: 'GET', path: '/rate-limit', signal });
      const pick = (o: Record<string, number | null> | undefined) => ({
        limit: num(o?.limit), remaining: num(o?.remaining), reset: num(o?.reset), used: num(o?.used),
      });
      return { orgMonthly: pick(res.body.rate?.org_monthly), perMinute: pick(res.body.rate?.api_key_per_minute) };
    },
    rateState: () => ({ ...state }),
    stats: () => sumStats(http.stats(), httpV2.stats()),
  };
}

function num(v: unknown): number | null {
  if (v === null || v === undefined || v === 'unlimited') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function sumStats(a: HttpClientStats, b: HttpClientStats): HttpClientStats {
  return { requests: a.requests + b.requests, rateLimited: a.rateLimited + b.rateLimited, failures: a.failures + b.failures };
}
