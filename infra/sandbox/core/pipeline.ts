import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { readJson } from './body.ts';
import type { ContractRecorder } from './contract.ts';
import { delay, type FaultDecision, type FaultInjector } from './faults.ts';
import type { RequestListener } from './http-server.ts';
import { sendJson, type Headers, type JsonReply } from './respond.ts';
import { splitPath } from './router.ts';
import type { Stats } from './stats.ts';

/** What an API handler sees of a request that passed auth, rate limits and faults. */
export interface ApiRequest {
  method: string;
  segments: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  principal: string;
  /** Reads and parses the JSON body (undefined when empty); throws BodyTooLargeError / InvalidJsonError. */
  json(): Promise<unknown>;
}

/** The parts of a sandbox that differ between Affinity and Attio. */
export interface ApiSurface {
  /** Returns the principal (credential) or the reply refusing the request (segments: an API may differ by path, e.g. Affinity v1/v2). */
  authenticate(headers: IncomingHttpHeaders, segments: readonly string[], method: string): string | JsonReply;
  isWrite(method: string, segments: readonly string[]): boolean;
  /** Rate limiting: a reply refuses the request unprocessed; headers go on every answer. */
  admit(principal: string, write: boolean, segments: readonly string[]): { reply?: JsonReply; headers?: Headers };
  /** Body of a fault-injected status (429 / 5xx) in this API's error format; a 429 asks for `retryAfterSec` (0: one second). */
  injectedReply(status: number, retryAfterSec: number, segments: readonly string[]): JsonReply;
  handle(request: ApiRequest): JsonReply | Promise<JsonReply>;
  /** Turns anything a handler threw into this API's error format. */
  mapError(error: unknown): JsonReply & { poison?: boolean };
}

export type ControlHandler = (
  method: string,
  segments: string[],
  query: URLSearchParams,
  json: () => Promise<unknown>,
) => JsonReply | Promise<JsonReply>;

export interface PipelineOptions {
  api: ApiSurface;
  control: ControlHandler;
  faults: FaultInjector;
  stats: Stats;
  /** When set, /__sandbox/* requires header x-sandbox-admin-token with this value. */
  adminToken?: string;
  bodyLimitBytes: number;
  logger?: Logger;
  /** When set, every API exchange (not /__sandbox) is checked against the vendor's published schemas. */
  contract?: ContractRecorder;
}

/** What the contract check needs of a request besides its answer. */
interface Exchange {
  method: string;
  path: string;
  query: URLSearchParams;
  body(): unknown;
}

/** The request listener shared by both sandboxes: control plane, then auth → limits → faults → handler. */
export function createPipeline(options: PipelineOptions): RequestListener {
  const { api, control, faults, stats, adminToken, bodyLimitBytes, logger, contract } = options;

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const segments = splitPath(q < 0 ? url : url.slice(0, q));
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    const method = req.method ?? 'GET';
    // The body is read once; the contract check sees it as the handler parsed it (undefined if never read or not JSON).
    let parsed: Promise<unknown> | undefined;
    let body: unknown;
    const json = () => {
      parsed ??= readJson(req, bodyLimitBytes).then((value) => {
        body = value;
        return value;
      });
      return parsed;
    };

    if (segments[0] === '__sandbox') {
      if (adminToken !== undefined && req.headers['x-sandbox-admin-token'] !== adminToken) {
        sendJson(res, 401, { error: 'missing or wrong x-sandbox-admin-token' });
        return;
      }
      const answer = await control(method, segments.slice(1), query, json);
      sendJson(res, answer.status, answer.body, answer.headers);
      return;
    }

    const exchange: Exchange = { method, path: q < 0 ? url : url.slice(0, q), query, body: () => body };
    const write = api.isWrite(method, segments);
    // The per-second series counts a request in the second it was admitted, as the limiter does.
    const at = stats.now();
    const principal = api.authenticate(req.headers, segments, method);
    if (typeof principal !== 'string') {
      finish(res, principal, undefined, { write, at }, exchange);
      return;
    }
    const admission = api.admit(principal, write, segments);
    if (admission.reply) {
      finish(res, admission.reply, admission.headers, { write, at }, exchange);
      return;
    }

    let decision: FaultDecision | undefined;
    if (!faults.idle()) {
      decision = faults.decide();
      if (decision.delayMs > 0) await delay(decision.delayMs);
      if (decision.action.kind === 'reset') {
        stats.recordReset();
        req.socket.destroy();
        return;
      }
      if (decision.action.kind === 'status') {
        finish(res, api.injectedReply(decision.action.status, faults.config().retryAfterSec, segments), admission.headers, { write, at, injected: true }, exchange);
        return;
      }
    }

    let answer: JsonReply & { poison?: boolean };
    try {
      answer = await api.handle({ method, segments, query, headers: req.headers, principal, json });
    } catch (error) {
      answer = api.mapError(error);
    }
    if (decision?.resetAfter) {
      stats.recordReset();
      req.socket.destroy();
      return;
    }
    finish(res, answer, admission.headers, { write, at, poison: answer.poison }, exchange);
  }

  function finish(res: ServerResponse, answer: JsonReply, extra: Headers | undefined, meta: { write: boolean; at: number; injected?: boolean; poison?: boolean }, exchange: Exchange): void {
    const headers = extra && answer.headers ? { ...extra, ...answer.headers } : (answer.headers ?? extra);
    sendJson(res, answer.status, answer.body, headers);
    stats.recordOutcome({ status: answer.status, ...meta });
    // The body as sent: a JSON round trip drops undefined fields exactly as the wire does.
    contract?.check({
      method: exchange.method, path: exchange.path, query: exchange.query, status: answer.status,
      requestBody: exchange.body(), responseBody: answer.body === undefined ? undefined : JSON.parse(JSON.stringify(answer.body)) as unknown,
    });
  }

  return (req, res) => {
    dispatch(req, res).catch((error: unknown) => {
      logger?.error({ err: error, url: req.url }, 'sandbox request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'sandbox internal error' });
      else res.destroy();
    });
  };
}
