import { ConnectorError, kindForStatus, redactSecrets } from '../connector-error.ts';
import type { RateBudget } from '../budget/rate-budget.ts';
import { TRANSIENT } from '../../../shared/error-kinds.ts';
import { parseRetryAfter } from './retry-after.ts';
import { systemClock, type Clock } from './sleep.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined;

export interface HttpRequest {
  method: HttpMethod;
  path: string;
  /** Sent in insertion order; null/undefined values are left out. */
  query?: Record<string, QueryValue> | Array<[string, QueryValue]>;
  body?: unknown;
  /** The budget that paces this call (reads and writes of one token have separate ones). */
  budget?: RateBudget;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** What a connector needs to turn a failed response into its ConnectorError. */
export interface FailedResponse {
  method: HttpMethod;
  path: string;
  status: number;
  headers: Headers;
  body: unknown;
  retryAfterMs: number | undefined;
}

export interface HttpClientOptions {
  baseUrl: string;
  /** Auth and fixed headers. Never copied into errors or logs. */
  headers: Record<string, string>;
  /** Values scrubbed from every error message (API keys, tokens). */
  secrets: readonly string[];
  classifyError: (failed: FailedResponse) => ConnectorError;
  /** Sees every response (rate-limit headers); may return a wait the next call must honour. */
  onResponse?: (info: { method: HttpMethod; path: string; status: number; headers: Headers }) => void;
  fetch?: typeof fetch;
  /** An undici Dispatcher (e.g. an Agent with more connections per origin), passed through to fetch. */
  dispatcher?: RequestInit['dispatcher'];
  timeoutMs?: number;
  /** Retries of 429 inside the client; everything else is left to the Temporal activity retry. */
  max429Retries?: number;
  /** Longest total time one call may spend waiting on 429s before giving up with rate_limited. */
  max429WaitMs?: number;
  clock?: Clock;
}

export interface HttpClientStats {
  requests: number;
  rateLimited: number;
  failures: number;
}

export interface HttpClient {
  request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>>;
  stats(): HttpClientStats;
}

/**
 * Minimal JSON-over-HTTP client shared by the connectors: paces calls through a RateBudget,
 * applies a timeout, classifies failures into ConnectorError and retries only 429 (the server did
 * not process the call, and the wait is told to us). Global fetch keeps connections alive.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const doFetch = options.fetch ?? globalThis.fetch;
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const max429Retries = options.max429Retries ?? 8;
  const max429WaitMs = options.max429WaitMs ?? 120_000;
  const base = options.baseUrl.replace(/\/+$/, '');
  const counters: HttpClientStats = { requests: 0, rateLimited: 0, failures: 0 };

  const buildUrl = (req: HttpRequest): string => {
    const entries = Array.isArray(req.query) ? req.query : Object.entries(req.query ?? {});
    const params = new URLSearchParams();
    for (const [k, v] of entries) if (v !== null && v !== undefined) params.append(k, String(v));
    const qs = params.toString();
    return `${base}${req.path}${qs ? `?${qs}` : ''}`;
  };

  /**
   * Sends one request under a timeout. One AbortController and a timer per call: AbortSignal.timeout
   * and AbortSignal.any build transferable signals, which showed up as a top cost in profiles.
   * The timer stays armed until the body is read (see `request`), so a stalled body also times out.
   */
  const send = async (req: HttpRequest, controller: AbortController, timedOut: () => boolean): Promise<Response> => {
    req.signal?.throwIfAborted();
    const init: RequestInit = {
      method: req.method,
      headers: { accept: 'application/json', ...(req.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: controller.signal,
    };
    if (options.dispatcher !== undefined) init.dispatcher = options.dispatcher;
    try {
      return await doFetch(buildUrl(req), init);
    } catch (error) {
      throw networkError(req, error, timedOut());
    }
  };

  const networkError = (req: HttpRequest, error: unknown, timedOut: boolean): unknown => {
    if (req.signal?.aborted) return req.signal.reason;
    counters.failures += 1;
    const reason = timedOut ? `timed out after ${req.timeoutMs ?? timeoutMs} ms` : describeNetworkError(error);
    return new ConnectorError({
      kind: TRANSIENT,
      message: redactSecrets(`${req.method} ${req.path}: ${reason}`, options.secrets),
      details: { network: true },
    });
  };

  /** Sends and reads the body with the timeout and the caller's signal both able to abort. */
  const exchange = async (req: HttpRequest): Promise<{ res: Response; body: unknown }> => {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('timeout'));
    }, req.timeoutMs ?? timeoutMs);
    const onAbort = (): void => controller.abort(req.signal?.reason);
    req.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await send(req, controller, () => timedOut);
      try {
        return { res, body: await readBody(res) };
      } catch (error) {
        throw networkError(req, error, timedOut);
      }
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
  };

  return {
    async request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
      let waited = 0;
      for (let attempt = 0; ; attempt += 1) {
        await req.budget?.acquire(req.signal);
        counters.requests += 1;
        const { res, body } = await exchange(req);
        options.onResponse?.({ method: req.method, path: req.path, status: res.status, headers: res.headers });
        if (res.ok) {
          req.budget?.onSuccess();
          return { status: res.status, headers: res.headers, body: body as T };
        }
        const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), clock.now());
        if (res.status === 429) {
          counters.rateLimited += 1;
          // Without Retry-After, back off exponentially from 1 s (with jitter so callers spread out).
          const wait = retryAfterMs ?? Math.round(1000 * 2 ** Math.min(attempt, 6) * (0.75 + Math.random() * 0.5));
          const willRetry = attempt < max429Retries && waited + wait <= max429WaitMs;
          // A wait longer than we are prepared to spend (e.g. a monthly quota) must not freeze the
          // shared budget for everyone: only back off the rate then.
          req.budget?.onRateLimited(wait <= max429WaitMs ? wait : undefined);
          if (willRetry) {
            waited += wait;
            if (!req.budget) await clock.sleep(wait, req.signal);
            continue;
          }
        } else {
          counters.failures += 1;
        }
        const error = options.classifyError({ method: req.method, path: req.path, status: res.status, headers: res.headers, body, retryAfterMs });
        throw new ConnectorError({
          kind: error.kind,
          status: error.status,
          retryAfterMs: error.retryAfterMs,
          message: redactSecrets(error.message, options.secrets),
          details: error.details,
        });
      }
    },
    stats: () => ({ ...counters }),
  };
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause as { code?: string; message?: string } | undefined;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return 'network error';
}

/** Generic classification by status, for connectors that have nothing more specific to say. */
export function defaultClassify(failed: FailedResponse, apiMessage: string): ConnectorError {
  return new ConnectorError({
    kind: kindForStatus(failed.status),
    status: failed.status,
    retryAfterMs: failed.retryAfterMs,
    message: `${failed.method} ${failed.path} → ${failed.status}: ${apiMessage}`,
  });
}
