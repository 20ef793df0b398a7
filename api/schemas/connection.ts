import { z } from '@hono/zod-openapi';
import { PAGE_CURSOR } from '../../shared/tenancy/cursor.ts';
import { cursorQuery, textField } from './common.ts';
import { CONNECTION_TYPES, type ConnectionType } from '../../shared/connections/connection-model.ts';
import { connectorType } from '../../shared/pairs/index.ts';
import type { OutboundPolicy } from '../../shared/outbound/outbound-policy.ts';

export const ConnectionSchema = z
  .object({
    id: z.uuid(),
    name: z.string().openapi({ example: 'Acme Affinity' }),
    type: z.enum(CONNECTION_TYPES),
    baseUrl: z.string().openapi({ example: 'https://api.affinity.co' }),
    settings: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Non-secret settings of types that take them (Tallyfy: organizationId)' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Connection', { description: 'A CRM connection. Its credentials are stored encrypted and never returned.' });

/**
 * `baseUrl` of one connection type: what the outbound policy admits, declared as the pattern it
 * generates (so every URL the document allows is accepted, and nothing else), checked by the
 * policy itself for the message a refused URL gets.
 */
function baseUrlSchema(policy: OutboundPolicy, type: ConnectionType) {
  const pattern = policy.baseUrlPattern(type);
  const matches = new RegExp(pattern);
  return z.string().max(2000).superRefine((value, ctx) => {
    const checked = policy.checkBaseUrl(type, value);
    if ('problem' in checked) ctx.addIssue({ code: 'custom', message: checked.problem });
    else if (!matches.test(value)) ctx.addIssue({ code: 'custom', message: `must be written as the API document's pattern shows: ${policy.describe(type)}` });
  }).openapi({ pattern, description: policy.describe(type), example: policy.officialBaseUrls[type][0] });
}

/**
 * The create body, one variant per connection type (`type` picks it): the base URLs a type accepts
 * differ, and JSON Schema can say so. Built per app from its outbound policy.
 */
export function createConnectionRequestSchema(policy: OutboundPolicy) {
  const variants = CONNECTION_TYPES.map((type) => z.strictObject({
    name: textField(200).openapi({ example: 'Acme Affinity' }),
    type: z.literal(type).openapi({ description: `${connectorType(type).displayName} connections are ${connectorType(type).role}` }),
    baseUrl: baseUrlSchema(policy, type),
    // The type's own schemas (shared/pairs): secrets encrypted at rest (AES-256-GCM), never returned.
    credentials: connectorType(type).credentials,
    ...(connectorType(type).settings ? { settings: connectorType(type).settings } : {}),
  }).openapi(`Create${type[0]?.toUpperCase()}${type.slice(1)}ConnectionRequest`));
  const [first, ...rest] = variants;
  if (!first) throw new Error('no connection types');
  return z.discriminatedUnion('type', [first, ...rest]).openapi('CreateConnectionRequest');
}

/**
 * New credentials for a connection (a revoked or rotated token), checked against its type's own
 * credential schema by the service; type, base URL and settings do not change.
 */
/** Every connector type's credential schema once (several types share `{ apiKey }`). */
function credentialShapes() {
  const shapes = [...new Set(CONNECTION_TYPES.map((type) => connectorType(type).credentials))];
  const [first, second, ...rest] = shapes;
  if (!first) throw new Error('no connection types');
  return second ? z.union([first, second, ...rest]) : first;
}

export const UpdateConnectionSchema = z.strictObject({
  name: textField(200).optional(),
  // Any connector type's credential shape; the connection's own type is checked by the server (422 credentials_mismatch).
  credentials: credentialShapes().openapi({ description: "The connection type's credentials, as on create. Sealed at rest, never returned. A shape of another type: 422 `credentials_mismatch`." }),
}).openapi('UpdateConnectionRequest');

export const ConnectionPageSchema = z
  .object({ data: z.array(ConnectionSchema), nextCursor: z.string().nullable() })
  .openapi('ConnectionPage');

export const ConnectionListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: cursorQuery(PAGE_CURSOR),
});
