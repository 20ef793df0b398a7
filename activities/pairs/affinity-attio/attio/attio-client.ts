import type { Dispatcher } from 'undici';
import type { Logger } from '../../../../shared/logger.ts';
import { scopeDigest, type BudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import { combinePacers, createDeferredBudget } from '../../../connectors/budget/deferred-budget.ts';
import type { RateBudget } from '../../../connectors/budget/rate-budget.ts';
import { createHttpClient, type HttpClientStats, type HttpMethod, type QueryValue } from '../../../connectors/http/http-client.ts';
import type { Clock } from '../../../connectors/http/sleep.ts';
import { classifyAttioError } from './attio-errors.ts';
import { isScoredQuery, queryScore, QUERY_SCORE_PER_READ } from './query-score.ts';

export interface AttioClientOptions {
  /** https://api.attio.com, or a sandbox URL (paths below add /v2). */
  baseUrl: string;
  token: string;
  /**
   * Process-wide budgets (shared across processes when the registry has a store): every job, tenant
   * and token writing to one workspace shares one write budget, one read budget and one query score.
   */
  budgets: BudgetRegistry;
  /** Attio's documented limits, per workspace; lower them if Attio announces an incident. */
  writesPerSec?: number;
  readsPerSec?: number;
  /**
   * Query score units per 10-second window (query-score.ts: an approximation, Attio publishes no
   * number). Default: 10 per allowed read per second, so reads "off" leave queries unpaced too.
   */
  queryScorePer10s?: number;
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
  readonly budgets: { read: RateBudget; write: RateBudget; query: RateBudget };
  stats(): HttpClientStats;
}

/**
 * Attio v2 client: Bearer auth; budgets per *workspace* (Attio counts its limits across the whole
 * API of a workspace, not per token): 25 writes/s, 100 reads/s and the query score by default. The
 * token's workspace comes from `GET /v2/self`, asked once per token per process before its first
 * paced call. Retry-After honoured on 429 (inside the client, bounded), everything else classified
 * and thrown for the activity's retry policy. Query endpoints (`POST …/query`) are reads, and the
 * records/entries queries also spend their estimated score.
 */
export function createAttioClient(options: AttioClientOptions): AttioClient {
  const workspace = (): Promise<string> => options.budgets.resolveScope('attio', options.token, async () => {
    const res = await http.request<{ workspace_id?: unknown }>({ method: 'GET', path: '/v2/self' });
    const id = res.body?.workspace_id;
    // An inactive token has no workspace (and every call will say 401): its own scope then, hashed.
    return typeof id === 'string' && id !== '' ? `workspace:${id}` : `token:${scopeDigest('attio', options.token)}`;
  });
  const budget = (kind: string, limitPerSec: number): RateBudget =>
    createDeferredBudget(`attio:token-${scopeDigest('attio', options.token)}:${kind}`, async () =>
      options.budgets.get({ system: 'attio', scope: await workspace(), kind }, { limitPerSec, clock: options.clock }));
  const readsPerSec = options.readsPerSec ?? 100;
  const budgets = {
    write: budget('write', options.writesPerSec ?? 25),
    read: budget('read', readsPerSec),
    query: budget('query', (options.queryScorePer10s ?? QUERY_SCORE_PER_READ * readsPerSec) / 10),
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
      const pacer = isScoredQuery(method, path)
        ? combinePacers([{ pacer: budgets.read, cost: 1 }, { pacer: budgets.query, cost: queryScore(req.body) }])
        : isRead ? budgets.read : budgets.write;
      const res = await http.request<T>({ method, path: `/v2${path}`, query: req.query, body: req.body, signal: req.signal, budget: pacer });
      return res.body;
    },
    stats: () => http.stats(),
  };
}
