import { z } from 'zod';
import { apiKeyCredentials, defineConnectorType, definePair } from './pair-data.ts';

export const PROCESS_STREET = defineConnectorType({
  type: 'process-street',
  displayName: 'Process Street',
  // v1.1 REST under /api/v1.1; SCIM (groups) at /api/scim of the same host.
  officialBaseUrls: ['https://public-api.process.st/api/v1.1'],
  credentials: apiKeyCredentials,
  role: 'a job source',
  limits: {
    // Process Street publishes no number (only 429 + Retry-After): 10/s is inferred, and 429s are honoured anyway.
    requestsPerSec: { env: 'FREIGHT_PROCESS_STREET_REQUESTS_PER_SEC', default: 10, description: 'Process Street requests per second per API key (inferred)' },
  },
});

/** A bearer token, or OAuth2 client credentials (support-issued): the two ways Tallyfy documents. */
const tallyfyCredentials = z.union([
  z.strictObject({ token: z.string().min(1).max(8192).describe('Bearer token. Encrypted at rest; never returned') }),
  z.strictObject({
    clientId: z.string().min(1).max(512),
    clientSecret: z.string().min(1).max(4096).describe('Encrypted at rest; never returned'),
  }),
]);

export const TALLYFY = defineConnectorType({
  type: 'tallyfy',
  displayName: 'Tallyfy',
  // One API, two documented bases (root paths, and the docs' /api prefix); the organisation goes in the path.
  officialBaseUrls: ['https://go.tallyfy.com/api', 'https://api.tallyfy.com'],
  credentials: tallyfyCredentials,
  settings: z.strictObject({
    organizationId: z.string().regex(/^[A-Za-z0-9]{1,64}$/, 'a Tallyfy organisation id (letters and digits)'),
  }),
  role: 'a job target',
  limits: {
    requestsPerMinute: { env: 'FREIGHT_TALLYFY_REQUESTS_PER_MIN', default: 600, description: 'Tallyfy requests per minute per token' },
    commentsPerHour: { env: 'FREIGHT_TALLYFY_COMMENTS_PER_HOUR', default: 120, description: 'Tallyfy comments per hour per organisation' },
    invitesPerHour: { env: 'FREIGHT_TALLYFY_INVITES_PER_HOUR', default: 30, description: 'Tallyfy member invites per hour per organisation' },
    // Only for benchmarks against a time-compressed sandbox (its windowScale): the real caps are per hour.
    hourMs: { env: 'FREIGHT_TALLYFY_HOUR_MS', default: 3_600_000, description: 'Length in ms of the window Tallyfy\'s hourly caps count in (shorten only for a time-compressed sandbox)' },
  },
});

export const PROCESS_STREET_TALLYFY = definePair({
  id: 'process-street-tallyfy',
  source: 'process-street',
  target: 'tallyfy',
  displayName: 'Process Street → Tallyfy',
  objects: [
    { kind: 'users', displayName: 'Users' },
    { kind: 'groups', displayName: 'Groups' },
    { kind: 'workflows', displayName: 'Workflows (blueprints)' },
    { kind: 'runs', displayName: 'Workflow runs (processes)' },
    { kind: 'comments', displayName: 'Comments' },
    { kind: 'attachments', displayName: 'Attachments (files)' },
  ],
  phases: [
    { name: 'foundation', displayName: 'Foundation', objects: ['users', 'groups'] },
    { name: 'templates', displayName: 'Templates', objects: ['workflows'] },
    { name: 'active', displayName: 'Active data', objects: ['runs'] },
    { name: 'collaborative', displayName: 'Collaborative data', objects: ['comments', 'attachments'] },
  ],
  limits: [
    'Tallyfy: 600 requests/min per token, 120 comments/h and 30 invites/h per organisation; no upsert or idempotency key',
    'Process Street: 429 + Retry-After (no published number; 10 requests/s per key assumed)',
  ],
});
