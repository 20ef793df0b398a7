/**
 * Requests per endpoint ("POST /organizations/:org/tasks/:id/comment"), with how many were answered 429
 * (the rate limits' or injected) and every status: what a migration cost in calls and refusals. Both
 * prefixes count as one endpoint; the sandbox's own /__sandbox routes do not count.
 */
export interface EndpointCount {
  requests: number;
  rateLimited: number;
  byStatus: Record<string, number>;
}

export interface RequestCounts {
  total: number;
  rateLimited: number;
  byEndpoint: Record<string, EndpointCount>;
}

export interface RequestCounter {
  /** Counts a request; later calls with the same `segments` array add its status. */
  begin(method: string, segments: readonly string[]): void;
  status(segments: readonly string[], status: number): void;
  snapshot(): RequestCounts;
  reset(): void;
}

const HEX32 = /^[0-9a-f]{32}$/;

export function endpointOf(method: string, segments: readonly string[]): string {
  const path = segments[0] === 'api' ? segments.slice(1) : segments;
  const normal = path.map((s, i) => {
    const previous = path[i - 1];
    if (previous === 'organizations' || previous === 'applications') return ':org';
    if (HEX32.test(s) || /^\d+$/.test(s)) return ':id';
    if (s.includes('@')) return ':email';
    return s;
  });
  return `${method} /${normal.join('/')}`;
}

export function createRequestCounter(): RequestCounter {
  // The pipeline hands the same segments array to every step of one request: it keys the request here.
  let keys = new WeakMap<readonly string[], string>();
  let counts: RequestCounts = { total: 0, rateLimited: 0, byEndpoint: {} };
  const entry = (key: string) => (counts.byEndpoint[key] ??= { requests: 0, rateLimited: 0, byStatus: {} });
  return {
    begin(method, segments) {
      const key = endpointOf(method, segments);
      keys.set(segments, key);
      counts.total += 1;
      entry(key).requests += 1;
    },
    status(segments, status) {
      const key = keys.get(segments);
      if (key === undefined) return;
      const e = entry(key);
      e.byStatus[status] = (e.byStatus[status] ?? 0) + 1;
      if (status === 429) {
        e.rateLimited += 1;
        counts.rateLimited += 1;
      }
    },
    snapshot: () => ({ ...counts, byEndpoint: Object.fromEntries(Object.entries(counts.byEndpoint).map(([k, v]) => [k, { ...v, byStatus: { ...v.byStatus } }])) }),
    reset() {
      keys = new WeakMap();
      counts = { total: 0, rateLimited: 0, byEndpoint: {} };
    },
  };
}
