import { apiKeyCredentials, defineConnectorType, definePair } from './pair-data.ts';

export const AFFINITY = defineConnectorType({
  type: 'affinity',
  displayName: 'Affinity',
  // v1 has no version prefix; v2 lives under /v2 of the same host. HTTPS only.
  officialBaseUrls: ['https://api.affinity.co'],
  credentials: apiKeyCredentials,
  role: 'a job source',
  limits: {
    requestsPerMinute: { env: 'FREIGHT_AFFINITY_REQUESTS_PER_MIN', default: 900, description: 'Affinity requests per minute per key' },
  },
});

export const ATTIO = defineConnectorType({
  type: 'attio',
  displayName: 'Attio',
  // The connector adds /v2 itself.
  officialBaseUrls: ['https://api.attio.com'],
  credentials: apiKeyCredentials,
  role: 'a job target',
  limits: {
    writesPerSec: { env: 'FREIGHT_ATTIO_WRITES_PER_SEC', default: 25, description: 'Attio writes per second per workspace' },
    readsPerSec: { env: 'FREIGHT_ATTIO_READS_PER_SEC', default: 100, description: 'Attio reads per second per workspace' },
    // No default: the client's own estimate of the workspace's query-score budget applies.
    queryScorePer10s: { env: 'FREIGHT_ATTIO_QUERY_SCORE_PER_10S', description: 'Attio query score per 10 s per workspace' },
  },
});

export const AFFINITY_ATTIO = definePair({
  id: 'affinity-attio',
  undo: true,
  source: 'affinity',
  target: 'attio',
  displayName: 'Affinity → Attio',
  objects: [
    { kind: 'organizations', displayName: 'Organizations' },
    { kind: 'persons', displayName: 'Persons' },
    { kind: 'opportunities', displayName: 'Opportunities' },
    // The list entries: the lists themselves are created by the schema step before any batch runs.
    { kind: 'lists', displayName: 'Lists' },
    { kind: 'notes', displayName: 'Notes' },
  ],
  phases: [
    { name: 'records', displayName: 'Records', objects: ['organizations', 'persons', 'opportunities'] },
    { name: 'lists', displayName: 'Lists', objects: ['lists'] },
    { name: 'notes', displayName: 'Notes', objects: ['notes'] },
  ],
  limits: [
    'Attio: 25 writes/s and 100 reads/s per workspace, a query-score budget per 10 s',
    'Affinity: 900 requests/min per user, and the account\'s monthly quota',
  ],
  delta: true,
});
