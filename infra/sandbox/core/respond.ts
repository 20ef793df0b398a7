import type { ServerResponse } from 'node:http';

export type Headers = Record<string, string | number>;

/** A handler's answer; the server pipeline turns it into bytes. */
export interface JsonReply {
  status: number;
  body: unknown;
  headers?: Headers;
}

export function reply(status: number, body: unknown, headers?: Headers): JsonReply {
  return headers ? { status, body, headers } : { status, body };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Headers): void {
  const payload = body === undefined ? '' : JSON.stringify(body);
  const all: Headers = { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) };
  res.writeHead(status, all);
  res.end(payload);
}
