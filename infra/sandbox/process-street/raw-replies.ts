import type { ServerResponse } from 'node:http';
import type { RequestListener } from '../core/http-server.ts';
import { reply, type Headers, type JsonReply } from '../core/respond.ts';

/**
 * The shared pipeline answers JSON only (core/respond.ts), but Process Street also answers plain text
 * (400 "Invalid value for: query parameters") and the sandbox serves file bytes. A handler marks such
 * a reply with these headers; `withRawBodies` turns the JSON the pipeline wrote back into the real bytes.
 */
const RAW_HEADER = 'x-sandbox-raw-encoding';
const RAW_TYPE_HEADER = 'x-sandbox-raw-type';

export function textReply(status: number, text: string, headers?: Headers): JsonReply {
  return reply(status, text, { ...headers, [RAW_HEADER]: 'text', [RAW_TYPE_HEADER]: 'text/plain; charset=utf-8' });
}

export function bytesReply(status: number, bytes: Buffer, contentType: string, headers?: Headers): JsonReply {
  return reply(status, bytes.toString('base64'), { ...headers, [RAW_HEADER]: 'base64', [RAW_TYPE_HEADER]: contentType });
}

type HeadersIn = Record<string, string | number | string[]>;

/** Wraps a listener: replies marked by textReply/bytesReply leave as text or bytes, everything else untouched. */
export function withRawBodies(listener: RequestListener): RequestListener {
  return (req, res) => {
    const writeHead = res.writeHead.bind(res) as (status: number, headers?: HeadersIn) => ServerResponse;
    const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
    let held: { status: number; headers: HeadersIn; encoding: string } | undefined;
    res.writeHead = ((status: number, headers?: HeadersIn) => {
      const encoding = headers?.[RAW_HEADER];
      if (typeof encoding !== 'string') return writeHead(status, headers);
      // The body arrives with end(): hold the head until the real length is known.
      held = { status, headers: headers as HeadersIn, encoding };
      return res;
    }) as typeof res.writeHead;
    res.end = ((chunk?: unknown) => {
      if (!held) return end(chunk);
      const { status, headers, encoding } = held;
      held = undefined;
      const decoded = JSON.parse(String(chunk)) as string;
      const body = encoding === 'base64' ? Buffer.from(decoded, 'base64') : Buffer.from(decoded, 'utf8');
      const out: HeadersIn = { ...headers, 'content-type': headers[RAW_TYPE_HEADER] as string, 'content-length': body.length };
      delete out[RAW_HEADER];
      delete out[RAW_TYPE_HEADER];
      writeHead(status, out);
      return end(body);
    }) as typeof res.end;
    listener(req, res);
  };
}
