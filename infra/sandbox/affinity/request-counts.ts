import { versionOf } from './errors.ts';

/**
 * Affinity API requests received, by version and by endpoint: what a migration cost in calls against
 * the account's monthly quota (the demo reports it as `sandbox.affinity.requests`). Every request to
 * the API counts, refused ones included, as Affinity counts them toward the same pool; the sandbox's own
 * /__sandbox routes do not.
 */
export interface RequestCounts {
  total: number;
  v1: number;
  v2: number;
  /** "GET /v2/companies", "GET /persons/:id"…: numeric path segments become `:id`. */
  byEndpoint: Record<string, number>;
}

export interface RequestCounter {
  record(method: string, segments: readonly string[]): void;
  snapshot(): RequestCounts;
  reset(): void;
}

export function createRequestCounter(): RequestCounter {
  let counts: RequestCounts = { total: 0, v1: 0, v2: 0, byEndpoint: {} };
  return {
    record(method, segments) {
      counts.total += 1;
      counts[versionOf(segments)] += 1;
      const endpoint = `${method} /${segments.map((s) => (/^\d+$/.test(s) ? ':id' : s)).join('/')}`;
      counts.byEndpoint[endpoint] = (counts.byEndpoint[endpoint] ?? 0) + 1;
    },
    snapshot: () => ({ ...counts, byEndpoint: { ...counts.byEndpoint } }),
    reset() {
      counts = { total: 0, v1: 0, v2: 0, byEndpoint: {} };
    },
  };
}
