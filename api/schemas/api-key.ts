import { z } from '@hono/zod-openapi';
import { textField } from './common.ts';

export const ApiKeySchema = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid().nullable(),
    name: z.string(),
    role: z.enum(['admin', 'engineer', 'viewer']),
    environment: z.enum(['live', 'test']),
    prefix: z.string().openapi({ example: 'frt_live_Ab3dE6gH', description: 'Non-secret handle to recognise the key' }),
    createdBy: z.string(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    lastUsedAt: z.string().nullable().openapi({ format: 'date-time', description: 'Updated at most once a minute' }),
    revokedAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('ApiKey');

export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({ example: 'frt_live_Ab3dE6gH…', description: 'The API key itself. Shown only in this response; store it now.' }),
}).openapi('CreatedApiKey');

export const CreateApiKeySchema = z
  .strictObject({
    name: textField(200).optional().openapi({ example: 'ci-pipeline', description: 'Default: "<role> key"' }),
    role: z.enum(['engineer', 'viewer']),
    environment: z.enum(['live', 'test']).default('live'),
  })
  .openapi('CreateApiKeyRequest');

export const ApiKeyListSchema = z.object({ data: z.array(ApiKeySchema) }).openapi('ApiKeyList');
