import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListeningServer {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Starts a plain node:http server. Port 0 picks an ephemeral port; close() also drops idle keep-alive
 * sockets so tests and the CLI stop promptly.
 */
export function listen(listener: RequestListener, options: { host: string; port: number }): Promise<ListeningServer> {
  const server = createServer({ keepAliveTimeout: 30_000 }, listener);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        server,
        host: address.address,
        port: address.port,
        url: `http://${hostForUrl}:${address.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
