import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { Logger } from '../shared/logger.ts';
import { metricsAccess } from '../shared/metrics-access.ts';

export interface MetricsServer {
  /** The bound port (useful with port 0 in tests); null when the server could not bind. */
  port: number | null;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` from `registry` on its own port, under the same rule as the API's (bearer
 * FREIGHT_METRICS_TOKEN when set; closed in production without one). A port already in use is
 * logged, not fatal: losing metrics must not stop a worker from running jobs.
 */
export async function startMetricsServer(options: {
  registry: Registry; host: string; port: number; logger: Logger; token?: string | undefined; production?: boolean;
}): Promise<MetricsServer> {
  const { registry, logger } = options;
  const access = metricsAccess({ token: options.token, production: options.production ?? false });
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const verdict = access(req.headers.authorization);
    if (verdict !== 'ok') {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="freight"' }).end(`${verdict}\n`);
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(body),
      (err: unknown) => {
        logger.warn({ err }, 'metrics collection failed');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n');
      },
    );
  });
  const port = await new Promise<number | null>((resolve) => {
    server.once('error', (err) => {
      logger.warn({ err, port: options.port }, 'worker metrics server could not start; running without it');
      resolve(null);
    });
    server.listen(options.port, options.host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : null);
    });
  });
  if (port !== null) logger.info({ host: options.host, port }, 'worker metrics listening');
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      if (port === null) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
