import { z } from '@hono/zod-openapi';
import { CHECK_NAMES, CHECK_STATUSES } from '../../shared/connections/connection-check.ts';
import { CONNECTION_TYPES } from '../../shared/connections/connection-model.ts';

const CheckItemSchema = z.object({
  name: z.enum(CHECK_NAMES).openapi({ description: 'reachable, credentials, permissions (scopes / in-product permissions), objects (e.g. Attio deals enabled), quota, identity' }),
  status: z.enum(CHECK_STATUSES).openapi({
    description: '`pass`; `fail` (a job would fail on it: job creation refuses the connection); `warn` (worth knowing, not fatal); ' +
      '`error` (the check itself could not run: unreachable, timed out, rate limited, a 5xx — job creation does not refuse a job for it)',
  }),
  message: z.string().openapi({ description: "What was found, in Freight's words (never the vendor API's own response text)" }),
  action: z.string().nullable().openapi({ description: 'What to do about it; null when nothing' }),
}).openapi('ConnectionCheckItem');

export const ConnectionCheckSchema = z.object({
  connectionId: z.uuid(),
  type: z.enum(CONNECTION_TYPES),
  ok: z.boolean().openapi({ description: 'Every check passed or warned' }),
  failed: z.array(z.enum(CHECK_NAMES)).openapi({ description: 'Names of the checks with status `fail`' }),
  checks: z.array(CheckItemSchema),
  identity: z.object({
    account: z.object({ id: z.string().nullable(), name: z.string().nullable(), slug: z.string().nullable() })
      .openapi({ description: 'Affinity: the instance (whoami tenant); Attio: the token\'s workspace (GET /v2/self); Tallyfy: the organisation id' }),
    principal: z.string().nullable().openapi({ description: 'Affinity: the key\'s user email; Attio: the workspace member who authorised the token; Process Street: the key\'s label' }),
  }).nullable(),
  quota: z.object({
    basis: z.string(),
    limit: z.number().nullable(),
    remaining: z.number().nullable(),
    resetSeconds: z.number().nullable(),
  }).nullable().openapi({ description: 'Affinity: the account\'s monthly call quota (GET /rate-limit); null for APIs that publish none' }),
  checkedAt: z.string().openapi({ format: 'date-time' }),
}).openapi('ConnectionCheck', { description: 'The result of checking a connection against its API' });
