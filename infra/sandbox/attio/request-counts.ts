/**
 * Attio API requests the sandbox served, by endpoint ("PUT /v2/objects/people/records",
 * "POST /v2/lists/:list/entries/query"): what a migration cost in target calls, for comparing a job's
 * plan with what it did (bench `plan`). Counted once a request is admitted (authenticated and inside
 * the rate limits): a 429 is not a call the job needed. Object slugs stay (people, companies, deals);
 * record, entry, note and attribute ids become `:id`, list ids and slugs `:list`. The sandbox's own
 * /__sandbox routes do not count.
 */
export interface AttioRequestCounts {
  total: number;
  byEndpoint: Record<string, number>;
}

export interface AttioRequestCounter {
  record(method: string, segments: readonly string[]): void;
  snapshot(): AttioRequestCounts;
  reset(): void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The endpoint of a request path: `/v2/objects/people/records/<uuid>` → `/v2/objects/people/records/:id`. */
export function attioEndpointOf(method: string, segments: readonly string[]): string {
  const normal = segments.map((s, i) => {
    if (segments[i - 1] === 'lists' && i === 2) return ':list';
    return UUID.test(s) ? ':id' : s;
  });
  return `${method} /${normal.join('/')}`;
}

export function createAttioRequestCounter(): AttioRequestCounter {
  let counts: AttioRequestCounts = { total: 0, byEndpoint: {} };
  return {
    record(method, segments) {
      const key = attioEndpointOf(method, segments);
      counts.total += 1;
      counts.byEndpoint[key] = (counts.byEndpoint[key] ?? 0) + 1;
    },
    snapshot: () => ({ total: counts.total, byEndpoint: { ...counts.byEndpoint } }),
    reset() {
      counts = { total: 0, byEndpoint: {} };
    },
  };
}
