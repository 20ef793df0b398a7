import { randomBytes } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { ConnectorError, redactSecrets } from '../../../connectors/connector-error.ts';
import type { Pacer } from '../../../connectors/budget/rate-budget.ts';
import { sharedDispatcher, type FailedResponse, type HttpMethod } from '../../../connectors/http/http-client.ts';
import { outboundRefusal } from '../../../connectors/http/outbound-dispatcher.ts';
import { parseRetryAfter } from '../../../connectors/http/retry-after.ts';
import { OUTBOUND_REFUSED, TRANSIENT } from '../../../../shared/error-kinds.ts';

/**
 * The two Tallyfy calls that are not JSON bodies (the shared http client only sends JSON):
 * `POST /oauth/token` (form-encoded only) and `POST /file` (multipart). Same rules as the shared
 * client: paced by a budget, redirects refused, the outbound dispatcher, errors classified and
 * scrubbed of secrets. A 429 is returned to the caller classified (it retries through its budget).
 */
export interface FormSendOptions {
  baseUrl: string;
  dispatcher?: Dispatcher;
  headers: Record<string, string>;
  secrets: readonly string[];
  classify: (failed: FailedResponse) => ConnectorError;
  timeoutMs?: number;
}

export interface FormRequest {
  method: HttpMethod;
  /** Path below the base URL's path. */
  path: string;
  body: { contentType: string; bytes: Buffer };
  budget?: Pacer;
  signal?: AbortSignal;
}

export function urlEncoded(fields: Record<string, string>): FormRequest['body'] {
  return { contentType: 'application/x-www-form-urlencoded', bytes: Buffer.from(new URLSearchParams(fields).toString()) };
}

/** A multipart body: plain fields, then one file part. */
export function multipart(fields: Record<string, string>, file: { part: string; fileName: string; mimeType: string; bytes: Buffer }): FormRequest['body'] {
  const boundary = `freight-${randomBytes(12).toString('hex')}`;
  const quote = (s: string): string => s.replace(/["\r\n\\]/g, '_');
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`));
  }
  chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.part)}"; filename="${quote(file.fileName)}"\r\n`
    + `Content-Type: ${quote(file.mimeType)}\r\n\r\n`), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, bytes: Buffer.concat(chunks) };
}

export function createFormSender(options: FormSendOptions) {
  const base = new URL(options.baseUrl.replace(/\/+$/, ''));
  const basePath = base.pathname.replace(/\/+$/, '');
  const dispatcher = options.dispatcher ?? sharedDispatcher();
  const timeoutMs = options.timeoutMs ?? 120_000;
  const scrub = (text: string): string => redactSecrets(text, options.secrets);

  return async function send<T>(req: FormRequest): Promise<T> {
    await req.budget?.acquire(req.signal);
    let res: Dispatcher.ResponseData;
    let text: string;
    try {
      res = await dispatcher.request({
        origin: base.origin, path: `${basePath}${req.path}`, method: req.method,
        headers: { accept: 'application/json', ...options.headers, 'content-type': req.body.contentType },
        body: req.body.bytes, signal: req.signal ?? null, headersTimeout: timeoutMs, bodyTimeout: timeoutMs,
      });
      text = await res.body.text();
    } catch (error) {
      if (req.signal?.aborted) throw req.signal.reason;
      const refused = outboundRefusal(error);
      if (refused) throw new ConnectorError({ kind: OUTBOUND_REFUSED, message: `Tallyfy ${req.method} ${req.path}: ${refused.message}`, details: { outbound: 'refused' } });
      const reason = error instanceof Error ? ((error.cause as { code?: string } | undefined)?.code ?? error.message) : 'network error';
      throw new ConnectorError({ kind: TRANSIENT, message: scrub(`Tallyfy ${req.method} ${req.path}: ${reason}`), details: { network: true } });
    }
    const headers = { get: (name: string): string | null => { const v = res.headers[name.toLowerCase()]; return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v; } };
    let body: unknown = text;
    let json = text === '';
    try {
      body = text === '' ? null : JSON.parse(text);
      json = true;
    } catch { /* body stays text: classified by size only */ }
    if (res.statusCode >= 200 && res.statusCode < 300 && json) {
      req.budget?.onSuccess();
      return body as T;
    }
    if (res.statusCode >= 300 && res.statusCode < 400) {
      throw new ConnectorError({ kind: OUTBOUND_REFUSED, status: res.statusCode, message: `Tallyfy ${req.method} ${req.path} → ${res.statusCode}: redirect not followed (outbound policy)`, details: { outbound: 'redirect' } });
    }
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'), Date.now());
    if (res.statusCode === 429) req.budget?.onRateLimited(retryAfterMs);
    const error = options.classify({ method: req.method, path: req.path, status: res.statusCode, headers, body, retryAfterMs });
    throw new ConnectorError({ kind: error.kind, status: error.status, retryAfterMs: error.retryAfterMs, message: scrub(error.message), details: error.details });
  };
}
