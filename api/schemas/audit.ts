import { z } from '@hono/zod-openapi';
import { parseRfc3339, RFC3339_PATTERN } from '../../shared/time/rfc3339.ts';
import { AUDIT_CURSOR } from '../../shared/tenancy/cursor.ts';
import { cursorQuery, filterText } from './common.ts';

export const AuditEntrySchema = z
  .object({
    id: z.string().openapi({ example: '4711' }),
    tenantId: z.uuid().nullable().openapi({ description: 'Null for platform-level rows (admin scope reads)' }),
    actor: z.object({
      type: z.string().openapi({ example: 'api_key' }),
      id: z.string().openapi({ example: '0d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11' }),
      role: z.string().openapi({ example: 'engineer' }),
    }),
    action: z.string().openapi({ example: 'job.cancel' }),
    target: z.object({ type: z.string(), id: z.string() }).nullable(),
    requestId: z.string().nullable().openapi({ description: 'The x-request-id of the call that made the change' }),
    details: z.unknown().openapi({ description: 'Names, roles, counts — never secrets' }),
    occurredAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('AuditEntry');

export const AuditPageSchema = z
  .object({ data: z.array(AuditEntrySchema), nextCursor: z.string().nullable() })
  .openapi('AuditPage');

const isoTime = (what: string) => z.string().max(64).regex(new RegExp(RFC3339_PATTERN), 'an RFC 3339 date-time')
  .refine((v) => parseRfc3339(v) !== undefined, 'an RFC 3339 date-time (a real calendar day and time)')
  .optional().openapi({ description: `${what} (RFC 3339, e.g. 2026-11-29T00:00:00Z)`, example: '2026-11-29T00:00:00Z', format: 'date-time' });

export const AuditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: cursorQuery(AUDIT_CURSOR),
  actor: filterText(300).optional().openapi({ description: 'An actor id, or `type:id` (e.g. `api_key:<key id>`)' }),
  action: filterText(100).optional().openapi({ description: 'Exact (`job.cancel`) or a prefix ending in `*` (`job.*`)' }),
  from: isoTime('Inclusive lower bound on the time'),
  to: isoTime('Exclusive upper bound on the time'),
});

export const AdminAuditQuerySchema = AuditQuerySchema.extend({
  tenantId: z.uuid().optional().openapi({ description: 'Only this tenant' }),
});
