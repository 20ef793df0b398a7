import type { RequestListener } from '../core/http-server.ts';

/**
 * API requests received per endpoint and per status ("GET /api/v1.1/workflow-runs/:id/tasks" → {"200": n}),
 * refused ones included, so a plan's call estimate can be held against what the sandbox counted.
 * A connection the fault injector reset counts under "reset". /__sandbox is not counted.
 */
export interface RequestCounts {
  total: number;
  byEndpoint: Record<string, Record<string, number>>;
  byStatus: Record<string, number>;
}

export interface RequestCounter {
  record(endpoint: string, status: string): void;
  snapshot(): RequestCounts;
  reset(): void;
}

export function createRequestCounter(): RequestCounter {
  let counts: RequestCounts = { total: 0, byEndpoint: {}, byStatus: {} };
  return {
    record(endpoint, status) {
      counts.total += 1;
      const row = (counts.byEndpoint[endpoint] ??= {});
      row[status] = (row[status] ?? 0) + 1;
      counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1;
    },
    snapshot: () => ({
      total: counts.total,
      byEndpoint: Object.fromEntries(Object.entries(counts.byEndpoint).map(([k, v]) => [k, { ...v }])),
      byStatus: { ...counts.byStatus },
    }),
    reset() {
      counts = { total: 0, byEndpoint: {}, byStatus: {} };
    },
  };
}

/** Counts every API exchange once it ends: by status when answered, as "reset" when the socket was destroyed. */
export function withRequestCounts(listener: RequestListener, counter: RequestCounter, endpointOf: (method: string, path: string) => string): RequestListener {
  return (req, res) => {
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    if (!path.startsWith('/__sandbox')) {
      const endpoint = endpointOf(req.method ?? 'GET', path);
      let counted = false;
      const count = (status: string) => {
        if (counted) return;
        counted = true;
        counter.record(endpoint, status);
      };
      res.once('finish', () => count(String(res.statusCode)));
      res.once('close', () => count(res.writableFinished ? String(res.statusCode) : 'reset'));
    }
    listener(req, res);
  };
}
