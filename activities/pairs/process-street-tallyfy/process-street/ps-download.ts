import type { Dispatcher } from 'undici';
import { OUTBOUND_REFUSED, TRANSIENT, VALIDATION } from '../../../../shared/error-kinds.ts';
import type { Pacer } from '../../../connectors/budget/rate-budget.ts';
import { ConnectorError, isConnectorError } from '../../../connectors/connector-error.ts';
import { outboundRefusal } from '../../../connectors/http/outbound-dispatcher.ts';
import { parseRetryAfter } from '../../../connectors/http/retry-after.ts';
import type { Clock } from '../../../connectors/http/sleep.ts';
import { classifyPsError } from './ps-errors.ts';

export interface DownloadRequest {
  url: string;
  baseUrl: string;
  apiKey: string;
  dispatcher: Dispatcher;
  budget: Pacer;
  signal: AbortSignal | undefined;
  timeoutMs: number;
  maxBytes: number;
  clock: Clock;
}

const MAX_429 = 3;

/**
 * The URL of an attachment or File value, checked: it comes from the tenant's account, and our key
 * goes with the request, so only the configured API's own origin is accepted (relative hrefs are
 * resolved against it). No documented download URL exists (inferred: the `links` href).
 */
export function checkedDownloadUrl(url: string, baseUrl: string): URL {
  const base = new URL(baseUrl);
  let target: URL;
  try {
    target = new URL(url, base.origin);
  } catch {
    throw refuse('not a URL');
  }
  if (target.origin !== base.origin) throw refuse('another host than the configured API');
  if (target.username || target.password) throw refuse('the URL carries credentials');
  return target;
}

/** GET the bytes behind a checked URL: paced by the key's budget, 429 waited out, redirects refused, size capped. */
export async function downloadBytes(req: DownloadRequest): Promise<Uint8Array> {
  const target = checkedDownloadUrl(req.url, req.baseUrl);
  const where = `Process Street GET ${target.pathname}`;
  for (let attempt = 0; ; attempt += 1) {
    await req.budget.acquire(req.signal);
    let res: Dispatcher.ResponseData;
    try {
      res = await req.dispatcher.request({
        origin: target.origin, path: `${target.pathname}${target.search}`, method: 'GET',
        headers: { 'x-api-key': req.apiKey, accept: '*/*' }, signal: req.signal ?? null,
        headersTimeout: req.timeoutMs, bodyTimeout: req.timeoutMs,
      });
    } catch (error) {
      throw networkError(where, error, req.signal);
    }
    if (res.statusCode >= 200 && res.statusCode < 300) {
      req.budget.onSuccess();
      return readCapped(res.body, req.maxBytes, where, req.signal);
    }
    const text = await res.body.text().catch(() => '');
    if (res.statusCode >= 300 && res.statusCode < 400) {
      throw new ConnectorError({ kind: OUTBOUND_REFUSED, status: res.statusCode, message: `${where} → ${res.statusCode}: redirect not followed (outbound policy)`, details: { outbound: 'redirect' } });
    }
    const header = res.headers['retry-after'];
    const retryAfterMs = parseRetryAfter(Array.isArray(header) ? header[0] : header, req.clock.now());
    if (res.statusCode === 429 && attempt < MAX_429) {
      // The budget holds every caller of this key for the wait.
      req.budget.onRateLimited(retryAfterMs ?? 1000);
      continue;
    }
    throw classifyPsError({
      method: 'GET', path: target.pathname, status: res.statusCode, headers: { get: () => null }, body: parseMaybeJson(text), retryAfterMs,
    });
  }
}

async function readCapped(body: Dispatcher.ResponseData['body'], maxBytes: number, where: string, signal: AbortSignal | undefined): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > maxBytes) {
        body.destroy();
        throw new ConnectorError({ kind: VALIDATION, message: `${where}: attachment larger than ${maxBytes} bytes` });
      }
      chunks.push(buf);
    }
  } catch (error) {
    if (isConnectorError(error)) throw error;
    throw networkError(where, error, signal);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function networkError(where: string, error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  const refused = outboundRefusal(error);
  if (refused) return new ConnectorError({ kind: OUTBOUND_REFUSED, message: `${where}: ${refused.message}`, details: { outbound: 'refused' } });
  const code = (error as { code?: unknown } | null)?.code;
  return new ConnectorError({ kind: TRANSIENT, message: `${where}: ${typeof code === 'string' ? code : 'network error'}`, details: { network: true } });
}

function refuse(why: string): ConnectorError {
  return new ConnectorError({ kind: OUTBOUND_REFUSED, message: `Process Street download refused (${why})`, details: { outbound: 'refused' } });
}
