import { timingSafeEqual } from 'node:crypto';

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Who may read a Prometheus endpoint (the API's `/metrics` and the worker's): with a token, only a
 * caller presenting it as a bearer token; without one, everyone outside production and nobody in
 * production (metrics reveal how busy each tenant is). Returns 'ok' or why not.
 */
export function metricsAccess(options: { token: string | undefined; production: boolean }): (authorization: string | undefined) => 'ok' | string {
  const { token, production } = options;
  return (authorization) => {
    if (!token) return production ? 'Metrics are closed: set FREIGHT_METRICS_TOKEN (NODE_ENV=production)' : 'ok';
    const header = authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    return sameToken(given, token) ? 'ok' : 'Metrics need the bearer token FREIGHT_METRICS_TOKEN';
  };
}
