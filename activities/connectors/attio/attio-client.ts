import type { Dispatcher } from 'undici';
import type { Logger } from '../../../shared/logger.ts';
import type { BudgetRegistry } from '../budget/budget-registry.ts';
import type { RateBudget } from '../budget/rate-budget.ts';
import { createHttpClient, type HttpClientStats, type HttpMethod, type QueryValue } from '../http/http-client.ts';
import type { Clock } from '../http/sleep.ts';
import { classifyAttioError } from './attio-errors.ts';

export interface AttioClientOptions {
  /** https://api.attio.com, or a sandbox URL (paths below add /v2). */
  baseUrl: string;
  token: string;
  /** Process-wide budgets: every job writing with this token shares one write budget. */
  budgets: BudgetRegistry;
  /** Attio's documented limits; lower them if Attio announces an incident. */
  writesPerSec?: number;
  readsPerSec?: number;
  fetch?: typeof fetch;
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  max429Retries?: number;
  /** Operator log: full bodies of failed responses. */
  logger?: Logger;
  clock?: Clock;
}

export interface AttioRequest {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

export interface AttioClient {
  request<T>(method: HttpMethod, path: string, req?: AttioRequest): Promise<T>;
  readonly budgets: { read: RateBudget; write: RateBudget };
  stats(): HttpClientStats;
}

/**
 * Attio v2 client: Bearer auth, one read and one write budget per token (100/s and 25/s by
 * default), Retry-After honoured on 429 (inside the client, bounded), everything else classified
 * and thrown for the activity's retry policy. Query endpoints (`POST …/query`) are reads.
 */
export function createAttioClient(options: AttioClientOptions): AttioClient {
  const key = (kind: string) => ({ system: 'attio', token: options.token, kind });
  const budgets = {
    write: options.budgets.get(key('write'), { limitPerSec: options.writesPerSec ?? 25, clock: options.clock }),
    read: options.budgets.get(key('read'), { limitPerSec: options.readsPerSec ?? 100, clock: options.clock }),
  };
  const http = createHttpClient({
    name: 'Attio',
    ...(options.logger ? { logger: options.logger } : {}),
    baseUrl: options.baseUrl,
    headers: { authorization: `Bearer ${options.token}` },
    secrets: [options.token],
    classifyError: classifyAttioError,
    fetch: options.fetch,
    dispatcher: options.dispatcher,
    timeoutMs: options.timeoutMs,
    max429Retries: options.max429Retries,
    clock: options.clock,
  });
  return {
    budgets,
    async request<T>(method: HttpMethod, path: string, req: AttioRequest = {}): Promise<T> {
      const isRead = method === 'GET' || (method === 'POST' && path.endsWith('/query'));
      const res = await http.request<T>({ method, path: `/v2${path}`, query: req.query, body: req.body, signal: req.signal, budget: isRead ? budgets.read : budgets.write });
      return res.body;
    },
    stats: () => http.stats(),
  };
}
