import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../core/body.ts';
import type { RequestListener } from '../core/http-server.ts';

/**
 * The shared pipeline reads JSON bodies and answers JSON. Tallyfy also takes form-encoded (/oauth/token)
 * and multipart (/file) bodies and serves file bytes (/file/{id}/dl). Rather than fork the pipeline, this
 * wrapper keeps each request reachable from its headers object (the pipeline hands handlers `req.headers`
 * itself), and lets a handler swap the JSON answer for bytes just before they are written.
 */
const requests = new WeakMap<IncomingHttpHeaders, IncomingMessage>();
const binaries = new WeakMap<IncomingHttpHeaders, { bytes: Buffer; contentType: string; filename: string }>();

export function withRawAccess(listener: RequestListener): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    requests.set(req.headers, req);
    const writeHead = res.writeHead.bind(res) as (status: number, headers?: Record<string, string | number>) => ServerResponse;
    const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
    (res as unknown as { writeHead: typeof writeHead }).writeHead = (status, headers) => {
      const binary = binaries.get(req.headers);
      if (!binary || status !== 200) return writeHead(status, headers);
      return writeHead(status, {
        ...headers,
        'content-type': binary.contentType,
        'content-length': binary.bytes.length,
        'content-disposition': `attachment; filename="${binary.filename.replace(/["\\\r\n]/g, '_')}"`,
      });
    };
    (res as unknown as { end: typeof end }).end = (chunk) => {
      const binary = binaries.get(req.headers);
      return binary && res.statusCode === 200 ? end(binary.bytes) : end(chunk);
    };
    listener(req, res);
  };
}

/** The raw body of a request the wrapper saw (up to limitBytes, else BodyTooLargeError). */
export function readRawBody(headers: IncomingHttpHeaders, limitBytes: number): Promise<Buffer> {
  const req = requests.get(headers);
  if (!req) return Promise.reject(new Error('request not registered with withRawAccess'));
  return readBody(req, limitBytes);
}

/** Makes this request's 200 answer these bytes instead of its JSON body. */
export function answerWithBytes(headers: IncomingHttpHeaders, file: { bytes: Buffer; contentType: string; filename: string }): void {
  binaries.set(headers, file);
}
