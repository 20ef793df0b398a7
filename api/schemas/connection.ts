import { z } from '@hono/zod-openapi';
import { CONNECTION_TYPES, MAX_API_KEY_LENGTH, normalizeBaseUrl } from '../../shared/connections/connection-model.ts';

export const ConnectionSchema = z
  .object({
    id: z.uuid(),
    name: z.string().openapi({ example: 'Acme Affinity' }),
    type: z.enum(CONNECTION_TYPES),
    baseUrl: z.string().openapi({ example: 'https://api.affinity.co' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Connection', { description: 'A CRM connection. Its credentials are stored encrypted and never returned.' });

export const CreateConnectionSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).openapi({ example: 'Acme Affinity' }),
    type: z.enum(CONNECTION_TYPES).openapi({ description: 'affinity connections are job sources, attio connections job targets' }),
    baseUrl: z.string().max(2000).superRefine((value, ctx) => {
      const result = normalizeBaseUrl(value);
      if ('problem' in result) ctx.addIssue({ code: 'custom', message: result.problem });
    }).openapi({ example: 'https://api.affinity.co', description: 'http or https; no credentials, query or fragment' }),
    credentials: z.strictObject({
      apiKey: z.string().min(1).max(MAX_API_KEY_LENGTH).openapi({ description: 'Encrypted at rest (AES-256-GCM); never returned' }),
    }),
  })
  .openapi('CreateConnectionRequest');

export const ConnectionPageSchema = z
  .object({ data: z.array(ConnectionSchema), nextCursor: z.string().nullable() })
  .openapi('ConnectionPage');

export const ConnectionListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
});
