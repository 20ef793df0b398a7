import { z } from '@hono/zod-openapi';
import { PAGE_CURSOR } from '../../shared/tenancy/cursor.ts';
import { cursorQuery, textField } from './common.ts';
import { MAX_RETENTION_DAYS, SLUG_PATTERN } from '../../shared/tenancy/tenant-model.ts';

export const TenantSchema = z
  .object({
    id: z.uuid(),
    slug: z.string().openapi({ example: 'acme' }),
    name: z.string().openapi({ example: 'Acme Corp' }),
    namespace: z.string().openapi({ example: 'freight-acme', description: 'Temporal namespace of the tenant' }),
    status: z.enum(['provisioning', 'active', 'suspended']),
    retentionDays: z.number().int(),
    rateLimitPerMinute: z.number().int().nullable().openapi({ description: 'Own API rate limit; null = platform default' }),
    provisioningError: z.string().nullable(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Tenant');

export const CreateTenantSchema = z
  .strictObject({
    slug: z.string().regex(SLUG_PATTERN, 'lowercase letters, digits and inner hyphens, 1-40 characters').openapi({ example: 'acme' }),
    name: textField(200).openapi({ example: 'Acme Corp' }),
    retentionDays: z.number().int().min(1).max(MAX_RETENTION_DAYS).optional()
      .openapi({ description: 'Temporal workflow history retention; default from server configuration' }),
  })
  .openapi('CreateTenantRequest');

export const TenantPageSchema = z
  .object({ data: z.array(TenantSchema), nextCursor: z.string().nullable() })
  .openapi('TenantPage');

export const TenantListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: cursorQuery(PAGE_CURSOR),
});
