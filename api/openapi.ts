import { OpenAPIHono } from '@hono/zod-openapi';
import type { Role } from '../shared/auth/principal.ts';
import { validationHook } from './middleware/error-handler.ts';
import { requireRole } from './middleware/require-role.ts';
import type { AppEnv } from './types.ts';

export const SECURITY_SCHEMES = {
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'frt_live_… / frt_test_… API key',
    description: 'A Freight API key, shown once at creation. Tenant keys have role engineer or viewer.',
  },
  jwt: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'HS256 (shared secret) or an IdP-signed JWT (JWKS). Claims: sub, role (admin|engineer|viewer), tenant_id (unless admin), aud, exp.',
  },
} as const;

/** A router whose validation failures take the uniform error path. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

/**
 * Marks a route as authenticated and restricted to `roles`: the role check runs as route
 * middleware, and the roles appear in the OpenAPI document (`x-roles`) and its description.
 */
export function secured<const C extends { description?: string }>(roles: Role[], config: C) {
  const who = `Roles: ${roles.join(', ')}.`;
  return {
    ...config,
    description: config.description ? `${config.description}\n\n${who}` : who,
    security: [{ apiKey: [] }, { jwt: [] }],
    middleware: [requireRole(...roles)],
    'x-roles': roles,
  } as C & { description: string; security: Record<string, string[]>[]; middleware: [ReturnType<typeof requireRole>]; 'x-roles': Role[] };
}
