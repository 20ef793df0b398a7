import { Agent, type Dispatcher } from 'undici';
import { ConnectorError, kindForStatus, redactSecrets } from '../connector-error.ts';
import type { Pacer } from '../budget/rate-budget.ts';
import { OUTBOUND_REFUSED, TRANSIENT } from '../../../shared/error-kinds.ts';
import type { Logger } from '../../../shared/logger.ts';
import { outboundRefusal } from './outbound-dispatcher.ts';
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
  budget?: Pacer;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** What callers read from response headers (a fetch `Headers` is one; so is undici's header object, adapted). */
export interface ResponseHeaders {
  get(name: string): string | null;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: ResponseHeaders;
  body: T;
}

/** What a connector needs to turn a failed response into its ConnectorError. */
export interface FailedResponse {
  method: HttpMethod;
  path: string;
  status: number;
  headers: ResponseHeaders;
  /**
   * Parsed JSON; a string when the body was not JSON (a proxy's HTML page, or whatever else answered):
   * classifiers name its size, never its content, in messages tenants read.
   */
  body: unknown;
  retryAfterMs: number | undefined;
}

export interface HttpClientOptions {
  /** The connector's name in messages (`Affinity GET /persons → 400: …`). */
  name?: string;
  /** Operator log: the full body of every failed response goes here, never into errors. */
  logger?: Logger;
  baseUrl: string;
  /** Auth and fixed headers. Never copied into errors or logs. */
  headers: Record<string, string>;
  /** Values scrubbed from every error message (API keys, tokens). */
  secrets: readonly string[];
  classifyError: (failed: FailedResponse) => ConnectorError;
  /** Sees every response (rate-limit headers); may return a wait the next call must honour. */
  onResponse?: (info: { method: HttpMethod; path: string; status: number; headers: ResponseHeaders }) => void;
  /**
   * Sends through this fetch instead of undici's `request` (tests inject fakes). The default path,
   * undici `request` on a keep-alive Agent, costs about a sixth of the CPU of global fetch per call
   * (no WHATWG Request/Response/stream objects), which is most of a connector's CPU at high rates.
   */
  fetch?: typeof fetch;
  /**
   * The undici Dispatcher to send through; default: one process-wide keep-alive Agent (`sharedDispatcher`),
   * which checks nothing. Tenant connections pass the outbound dispatcher (outbound-dispatcher.ts).
   */
  dispatcher?: Dispatcher;
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

let shared: Agent | undefined;

/**
 * One keep-alive connection pool per process, shared by every connector: up to 256 connections per
 * origin, so many concurrent writes (several jobs, several batches each) never queue for a socket.
 */
export function sharedDispatcher(): Dispatcher {
  shared ??= new Agent({ connections: 256, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 });
  return shared;
}

/** A raw response of either transport. */
interface Exchanged {
  status: number;
  headers: ResponseHeaders;
  body: unknown;
  /** False when a non-empty body did not parse as JSON (`body` is then its text). */
  json: boolean;
}

/** The longest part of a failed response's body the operator log keeps. */
const LOGGED_BODY_CHARS = 64 * 1024;

/**
 * Minimal JSON-over-HTTP client shared by the connectors: paces calls through a RateBudget,
 * applies a timeout, classifies failures into ConnectorError and retries only 429 (the server did
 * not process the call, and the wait is told to us). Connections are kept alive.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const name = options.name ?? 'API';
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const max429Retries = options.max429Retries ?? 8;
  const max429WaitMs = options.max429WaitMs ?? 120_000;
  const base = options.baseUrl.replace(/\/+$/, '');
  const baseUrl = new URL(base);
  const origin = baseUrl.origin;
  const basePath = baseUrl.pathname.replace(/\/+$/, '');
  const counters: HttpClientStats = { requests: 0, rateLimited: 0, failures: 0 };
  const jsonHeaders = { accept: 'application/json', 'content-type': 'application/json', ...options.headers };
  const plainHeaders = { accept: 'application/json', ...options.headers };

  /** Path and query string, relative to the origin (params in order, null/undefined left out). */
  const pathOf = (req: HttpRequest): string => {
    const entries = Array.isArray(req.query) ? req.query : Object.entries(req.query ?? {});
    let qs = '';
    if (entries.length > 0) {
      const params = new URLSearchParams();
      for (const [k, v] of entries) if (v !== null && v !== undefined) params.append(k, String(v));
      qs = params.toString();
    }
    return `${basePath}${req.path}${qs ? `?${qs}` : ''}`;
  };

  const networkError = (req: HttpRequest, error: unknown, timedOut: boolean): unknown => {
    if (req.signal?.aborted) return req.signal.reason;
    counters.failures += 1;
    const refused = outboundRefusal(error);
    if (refused) {
      return new ConnectorError({ kind: OUTBOUND_REFUSED, message: `${name} ${req.method} ${req.path}: ${refused.message}`, details: { outbound: 'refused' } });
    }
    const reason = timedOut ? `timed out after ${req.timeoutMs ?? timeoutMs} ms` : describeNetworkError(error);
    return new ConnectorError({
      kind: TRANSIENT,
      message: redactSecrets(`${name} ${req.method} ${req.path}: ${reason}`, options.secrets),
      details: { network: true },
    });
  };

  /** The whole failed response for the operator (secrets scrubbed); tenants only see what the classifier says. */
  const logFailure = (req: HttpRequest, status: number, body: unknown): void => {
    if (!options.logger) return;
    const text = typeof body === 'string' ? body : JSON.stringify(body) ?? '';
    options.logger.info({ connector: name, method: req.method, path: req.path, status, body: redactSecrets(text.slice(0, LOGGED_BODY_CHARS), options.secrets) },
      'connector call failed');
  };

  /**
   * undici `request` on the dispatcher. The timeout is undici's own (no response headers, or no body
   * data, for `timeoutMs`): no AbortController or timer of our own per call. The caller's signal
   * aborts the call in flight.
   */
  const dispatcher = options.dispatcher ?? sharedDispatcher();
  const exchangeUndici = async (req: HttpRequest): Promise<Exchanged> => {
    req.signal?.throwIfAborted();
    const ms = req.timeoutMs ?? timeoutMs;
    let res: Dispatcher.ResponseData;
    try {
      res = await dispatcher.request({
        origin, path: pathOf(req), method: req.method,
        headers: req.body === undefined ? plainHeaders : jsonHeaders,
        body: req.body === undefined ? null : JSON.stringify(req.body),
        signal: req.signal ?? null, headersTimeout: ms, bodyTimeout: ms,
      });
    } catch (error) {
      throw networkError(req, error, isUndiciTimeout(error));
    }
    try {
      return { status: res.statusCode, headers: rawHeaders(res.headers), ...parseBody(await res.body.text()) };
    } catch (error) {
      throw networkError(req, error, isUndiciTimeout(error));
    }
  };

  /**
   * An injected fetch, under a timeout. One AbortController and a timer per call (AbortSignal.timeout
   * and AbortSignal.any build transferable signals, which showed up as a top cost in profiles).
   * The timer stays armed until the body is read, so a stalled body also times out.
   */
  const doFetch = options.fetch;
  const exchangeFetch = async (req: HttpRequest, fetchFn: typeof fetch): Promise<Exchanged> => {
    req.signal?.throwIfAborted();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('timeout'));
    }, req.timeoutMs ?? timeoutMs);
    const onAbort = (): void => controller.abort(req.signal?.reason);
    req.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const init: RequestInit = {
        method: req.method,
        headers: req.body === undefined ? { ...plainHeaders } : { ...jsonHeaders },
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: controller.signal,
        // Redirects are never followed: a hop could lead past the outbound policy.
        redirect: 'manual',
      };
      let res: Response;
      try {
        res = await fetchFn(`${origin}${pathOf(req)}`, init);
      } catch (error) {
        throw networkError(req, error, timedOut);
      }
      try {
        return { status: res.status, headers: res.headers, ...parseBody(await res.text()) };
      } catch (error) {
        throw networkError(req, error, timedOut);
      }
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
  };

  const exchange = (req: HttpRequest): Promise<Exchanged> => (doFetch ? exchangeFetch(req, doFetch) : exchangeUndici(req));

  return {
    async request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
      let waited = 0;
      for (let attempt = 0; ; attempt += 1) {
        await req.budget?.acquire(req.signal);
        counters.requests += 1;
        const res = await exchange(req);
        const body = res.body;
        options.onResponse?.({ method: req.method, path: req.path, status: res.status, headers: res.headers });
        if (res.status >= 200 && res.status < 300 && res.json) {
          req.budget?.onSuccess();
          return { status: res.status, headers: res.headers, body: body as T };
        }
        if (res.status >= 200 && res.status < 400) {
          // A JSON API answering anything else (a captive portal's page, a redirect) is not what was
          // asked for: a redirect is refused (never followed), a non-JSON success retried.
          counters.failures += 1;
          logFailure(req, res.status, body);
          const redirect = res.status >= 300;
          throw new ConnectorError({
            kind: redirect ? OUTBOUND_REFUSED : TRANSIENT,
            status: res.status,
            message: `${name} ${req.method} ${req.path} → ${res.status}: ${redirect ? 'redirect not followed (outbound policy)' : 'response is not JSON'}`,
            details: redirect ? { outbound: 'redirect' } : {},
          });
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
        logFailure(req, res.status, body);
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

function parseBody(text: string): { body: unknown; json: boolean } {
  if (text === '') return { body: null, json: true };
  try {
    return { body: JSON.parse(text) as unknown, json: true };
  } catch {
    return { body: text, json: false };
  }
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause as { code?: string; message?: string } | undefined;
    const code = (error as { code?: unknown }).code;
    // undici's own errors carry a code (UND_ERR_SOCKET...); the socket's (ECONNRESET...) is more telling.
    return cause?.code ?? cause?.message ?? (typeof code === 'string' && !code.startsWith('UND_ERR') ? code : error.message);
  }
  return 'network error';
}

function isUndiciTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
}

/** undici's header object (lower-case names) read like fetch's Headers. */
function rawHeaders(raw: Record<string, string | string[] | undefined>): ResponseHeaders {
  return {
    get(name: string): string | null {
      const v = raw[name.toLowerCase()];
      return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
    },
  };
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
