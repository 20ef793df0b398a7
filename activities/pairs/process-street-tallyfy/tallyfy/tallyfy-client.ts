import type { Dispatcher } from 'undici';
import type { Logger } from '../../../../shared/logger.ts';
import { TRANSIENT } from '../../../../shared/error-kinds.ts';
import type { BudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import { combinePacers } from '../../../connectors/budget/deferred-budget.ts';
import type { Pacer, RateBudget } from '../../../connectors/budget/rate-budget.ts';
import { isConnectorError } from '../../../connectors/connector-error.ts';
import { createHttpClient, type HttpClient, type HttpClientStats, type HttpMethod, type QueryValue } from '../../../connectors/http/http-client.ts';
import { systemClock, type Clock } from '../../../connectors/http/sleep.ts';
import { classifyTallyfyError } from './tallyfy-errors.ts';
import { createFormSender, multipart, type FormRequest } from './tallyfy-form.ts';
import { createTokenSource, type TallyfyCredentials } from './tallyfy-token.ts';

export type { TallyfyCredentials };

/** The two bases of the one API (tallyfy-api.md, Basics); paths below are the same on both. */
export const TALLYFY_BASE_URLS = ['https://go.tallyfy.com/api', 'https://api.tallyfy.com'] as const;

/** A cap of `count` calls per `windowMs` (Tallyfy's per-organisation hourly caps). */
export interface WindowCap { count: number; windowMs: number }

export interface TallyfyLimits {
  /** 600 requests/minute per user (per token) [DOC]. */
  requestsPerMinute: number;
  /** 120 comments/hour per organisation [DOC]. */
  comments: WindowCap;
  /** 30 guest invites/hour per organisation [DOC]; member invites are paced by it too (inferred: safer). */
  invites: WindowCap;
}

export const TALLYFY_LIMITS: TallyfyLimits = {
  requestsPerMinute: 600,
  comments: { count: 120, windowMs: 3_600_000 },
  invites: { count: 30, windowMs: 3_600_000 },
};

/**
 * Fraction of a per-organisation cap the pacing uses. The caps count every token of the organisation
 * and the server's window alignment is not published, so even spacing keeps a margin of 10%.
 */
export const CAP_CEILING = 0.9;

export interface TallyfyClientOptions {
  baseUrl?: string;
  organizationId: string;
  credentials: TallyfyCredentials;
  /** Process-wide budgets: one per token for requests, one per organisation for each hourly cap. */
  budgets: BudgetRegistry;
  limits?: Partial<TallyfyLimits>;
  /** The outbound dispatcher (tenant connections); default: the shared keep-alive agent. */
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  max429Retries?: number;
  /** Retries of 5xx / resets for idempotent methods (GET, PUT, DELETE) inside the client. POSTs are left to the caller, which looks before re-creating. */
  transientRetries?: number;
  logger?: Logger;
  clock?: Clock;
}

/** Which extra cap a call spends besides the token's request budget. */
export type TallyfyPace = 'comment' | 'invite';

export interface TallyfyRequest {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  pace?: TallyfyPace;
}

export interface TallyfyClient {
  readonly organizationId: string;
  /** A call below `/organizations/{org}`. */
  request<T>(method: HttpMethod, path: string, req?: TallyfyRequest): Promise<T>;
  /** Every item of a list (per_page 100), stopping early once `until` holds for an item. */
  listAll<T>(path: string, query?: Record<string, QueryValue>, options?: { signal?: AbortSignal; until?: (item: T) => boolean }): Promise<T[]>;
  /** `POST /file` (multipart): fields plus the file part named `name`. */
  upload<T>(fields: Record<string, string>, file: { fileName: string; mimeType: string; bytes: Buffer }, signal?: AbortSignal): Promise<T>;
  readonly budgets: { request: RateBudget; comment: RateBudget; invite: RateBudget };
  stats(): HttpClientStats & { tokenFetches: number };
}

interface ListBody<T> { data?: T[]; meta?: { pagination?: { current_page?: number; total_pages?: number } } }

/** A cap paced as units: 1 unit/s, each call costing the window's share (RateBudget floors rates at 0.1/s). */
function capPacer(budget: RateBudget, cap: WindowCap): { pacer: Pacer; cost: number } {
  return { pacer: budget, cost: cap.windowMs / 1000 / cap.count };
}

/**
 * Tallyfy client: organisation in every path, Bearer + `X-Tallyfy-Client: APIClient` on every call
 * (else 401), a token from the credentials (static, or client credentials fetched, cached until
 * expiry and refreshed once on 401). Paced BEFORE sending: 600/min per token, and the organisation's
 * comment and invite caps; 429 waits Retry-After (shared client), 5xx/resets retried for idempotent methods.
 */
export function createTallyfyClient(options: TallyfyClientOptions): TallyfyClient {
  const baseUrl = (options.baseUrl ?? TALLYFY_BASE_URLS[0]).replace(/\/+$/, '');
  const org = options.organizationId;
  const clock = options.clock ?? systemClock;
  const limits = { ...TALLYFY_LIMITS, ...options.limits };
  const retries = options.transientRetries ?? 3;
  const creds = options.credentials;
  const tokenScope = creds.kind === 'token' ? creds.token : `client:${creds.clientId}`;
  // Both bases are one API: the caps are the organisation's whichever base a connection names.
  const orgScope = `org:${org}`;
  const budgets = {
    request: options.budgets.get({ system: 'tallyfy', scope: tokenScope, kind: 'request' }, { limitPerSec: limits.requestsPerMinute / 60, clock }),
    comment: options.budgets.get({ system: 'tallyfy', scope: orgScope, kind: 'comment' }, { limitPerSec: 1, ceiling: CAP_CEILING, clock }),
    invite: options.budgets.get({ system: 'tallyfy', scope: orgScope, kind: 'invite' }, { limitPerSec: 1, ceiling: CAP_CEILING, clock }),
  };
  const pacers: Record<TallyfyPace | 'none', Pacer> = {
    none: budgets.request,
    comment: combinePacers([{ pacer: budgets.request, cost: 1 }, capPacer(budgets.comment, limits.comments)]),
    invite: combinePacers([{ pacer: budgets.request, cost: 1 }, capPacer(budgets.invite, limits.invites)]),
  };
  const fixedHeaders = { 'x-tallyfy-client': 'APIClient' };
  const baseSecrets = creds.kind === 'token' ? [creds.token] : [creds.clientSecret];
  const tokens = createTokenSource({ credentials: creds, baseUrl, dispatcher: options.dispatcher, headers: fixedHeaders, budget: budgets.request, clock });

  // One http client per token (its headers are fixed); the previous ones' counters are kept.
  const retired: HttpClientStats = { requests: 0, rateLimited: 0, failures: 0 };
  let current: { token: string; http: HttpClient } | undefined;
  const httpFor = (token: string): HttpClient => {
    if (current?.token === token) return current.http;
    if (current) for (const [k, v] of Object.entries(current.http.stats())) retired[k as keyof HttpClientStats] += v;
    const http = createHttpClient({
      name: 'Tallyfy', baseUrl, headers: { ...fixedHeaders, authorization: `Bearer ${token}` }, secrets: [...baseSecrets, token],
      classifyError: classifyTallyfyError, dispatcher: options.dispatcher, timeoutMs: options.timeoutMs, max429Retries: options.max429Retries,
      clock, ...(options.logger ? { logger: options.logger } : {}),
    });
    current = { token, http };
    return http;
  };

  /** Runs `call` with the current token; a 401 with fetched credentials refreshes the token once. */
  const withToken = async <T>(call: (token: string) => Promise<T>, signal?: AbortSignal): Promise<T> => {
    const token = await tokens.get(signal);
    try {
      return await call(token);
    } catch (error) {
      if (!isConnectorError(error) || error.status !== 401 || creds.kind === 'token') throw error;
      tokens.invalidate(token);
      return call(await tokens.get(signal));
    }
  };

  const request = async <T>(method: HttpMethod, path: string, req: TallyfyRequest = {}): Promise<T> => {
    const idempotent = method !== 'POST';
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await withToken(async (token) => (await httpFor(token).request<T>({
          method, path: `/organizations/${org}${path}`, query: req.query, body: req.body, signal: req.signal, budget: pacers[req.pace ?? 'none'],
        })).body, req.signal);
      } catch (error) {
        if (!idempotent || attempt >= retries || !isConnectorError(error) || error.kind !== TRANSIENT) throw error;
        await clock.sleep(Math.min(8000, 250 * 2 ** attempt), req.signal);
      }
    }
  };

  const sender = (token: string) => createFormSender({
    baseUrl, dispatcher: options.dispatcher, headers: { ...fixedHeaders, authorization: `Bearer ${token}` }, secrets: [...baseSecrets, token],
    classify: classifyTallyfyError, timeoutMs: options.timeoutMs,
  });

  return {
    organizationId: org,
    budgets,
    request,
    async listAll<T>(path: string, query: Record<string, QueryValue> = {}, opts: { signal?: AbortSignal; until?: (item: T) => boolean } = {}): Promise<T[]> {
      const out: T[] = [];
      for (let page = 1; ; page += 1) {
        const res = await request<ListBody<T>>('GET', path, { query: { ...query, page, per_page: 100 }, signal: opts.signal });
        const items = res.data ?? [];
        out.push(...items);
        if (opts.until && items.some(opts.until)) return out;
        const p = res.meta?.pagination;
        // Stop at current_page >= total_pages [CLI]; a list without pagination meta is one page.
        if (!p || (p.current_page ?? page) >= (p.total_pages ?? 0) || items.length === 0) return out;
      }
    },
    upload<T>(fields: Record<string, string>, file: { fileName: string; mimeType: string; bytes: Buffer }, signal?: AbortSignal): Promise<T> {
      const form: FormRequest = {
        method: 'POST', path: `/organizations/${org}/file`, body: multipart(fields, { part: 'name', ...file }), budget: budgets.request, signal,
      };
      return withToken((token) => sender(token)<T>(form), signal);
    },
    stats: () => {
      const s = current?.http.stats() ?? { requests: 0, rateLimited: 0, failures: 0 };
      return { requests: s.requests + retired.requests, rateLimited: s.rateLimited + retired.rateLimited, failures: s.failures + retired.failures, tokenFetches: tokens.fetches() };
    },
  };
}
