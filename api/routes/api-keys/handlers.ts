import type { RouteHandler } from '@hono/zod-openapi';
import type { ApiKeyService } from '../../../shared/tenancy/api-keys.ts';
import { actorOf } from '../../actor.ts';
import type { AppEnv } from '../../types.ts';
import type { createApiKeyRoute, listApiKeysRoute, revokeApiKeyRoute } from './routes.ts';

export function createApiKeyHandlers(deps: { apiKeys: ApiKeyService }) {
  const create: RouteHandler<typeof createApiKeyRoute, AppEnv> = async (c) => {
    const { tenantId } = c.req.valid('param');
    const body = c.req.valid('json');
    const { apiKey, plaintext } = await deps.apiKeys.create(actorOf(c), {
      tenantId,
      name: body.name ?? `${body.role} key`,
      role: body.role,
      environment: body.environment,
    });
    // The one response that carries a secret: keep it out of every cache.
    c.header('Cache-Control', 'no-store');
    return c.json({ ...apiKey, key: plaintext }, 201);
  };

  const list: RouteHandler<typeof listApiKeysRoute, AppEnv> = async (c) => {
    const { tenantId } = c.req.valid('param');
    return c.json({ data: await deps.apiKeys.list(actorOf(c), tenantId) }, 200);
  };

  const revoke: RouteHandler<typeof revokeApiKeyRoute, AppEnv> = async (c) => {
    const { keyId } = c.req.valid('param');
    return c.json(await deps.apiKeys.revoke(actorOf(c), keyId), 200);
  };

  return { create, list, revoke };
}
