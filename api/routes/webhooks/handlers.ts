import type { RouteHandler } from '@hono/zod-openapi';
import type { WebhookService } from '../../../shared/webhooks/webhooks.ts';
import { actorOf } from '../../actor.ts';
import type { AppEnv } from '../../types.ts';
import type {
  createWebhookRoute, deleteWebhookRoute, getWebhookRoute, listDeliveriesRoute, listWebhooksRoute, testWebhookRoute,
} from './routes.ts';

type CreateRoute = ReturnType<typeof createWebhookRoute>;

export function createWebhookHandlers(deps: { webhooks: WebhookService; createRoute: CreateRoute }) {
  const create: RouteHandler<CreateRoute, AppEnv> = async (c) => c.json(await deps.webhooks.create(actorOf(c), c.req.valid('json')), 201);

  const list: RouteHandler<typeof listWebhooksRoute, AppEnv> = async (c) => c.json(await deps.webhooks.list(actorOf(c), c.req.valid('query')), 200);

  const get: RouteHandler<typeof getWebhookRoute, AppEnv> = async (c) => c.json(await deps.webhooks.get(actorOf(c), c.req.valid('param').webhookId), 200);

  const remove: RouteHandler<typeof deleteWebhookRoute, AppEnv> = async (c) => {
    await deps.webhooks.remove(actorOf(c), c.req.valid('param').webhookId);
    return c.body(null, 204);
  };

  const deliveries: RouteHandler<typeof listDeliveriesRoute, AppEnv> = async (c) =>
    c.json(await deps.webhooks.deliveries(actorOf(c), c.req.valid('param').webhookId, c.req.valid('query')), 200);

  const test: RouteHandler<typeof testWebhookRoute, AppEnv> = async (c) => c.json(await deps.webhooks.sendTest(actorOf(c), c.req.valid('param').webhookId), 202);

  return { create, list, get, remove, deliveries, test };
}
