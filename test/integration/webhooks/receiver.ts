import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  status: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Requests that carried this event id, in arrival order. */
  forEvent(eventId: string): Received[];
  close(): Promise<void>;
}

/**
 * A webhook receiver on 127.0.0.1 that answers each request with `answer(n)`, n being how many
 * requests with the same `Freight-Event-Id` it has seen before (0 for the first).
 */
export async function startReceiver(answer: (seenBefore: number) => number): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = String(req.headers['freight-event-id']);
      const status = answer(received.filter((r) => r.headers['freight-event-id'] === id).length);
      received.push({ headers: req.headers, raw: Buffer.concat(chunks), status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    forEvent: (eventId) => received.filter((r) => r.headers['freight-event-id'] === eventId),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
