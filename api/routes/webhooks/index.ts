import type { AllowedHost } from '../../../shared/outbound/allow-list.ts';
import type { WebhookService } from '../../../shared/webhooks/webhooks.ts';
import { createRouter } from '../../openapi.ts';
import { createWebhookHandlers } from './handlers.ts';
import {
  createWebhookRoute, deleteWebhookRoute, getWebhookRoute, listDeliveriesRoute, listWebhooksRoute, testWebhookRoute,
} from './routes.ts';

/** `/v1/webhooks`: a tenant's signed webhook endpoints and their delivery logs; engineers write, viewers read. */
export function createWebhooksRouter(deps: { webhooks: WebhookService; allowHosts: readonly AllowedHost[] }) {
  const route = createWebhookRoute(deps.allowHosts);
  const handlers = createWebhookHandlers({ webhooks: deps.webhooks, createRoute: route });
  return createRouter()
    .openapi(route, handlers.create)
    .openapi(listWebhooksRoute, handlers.list)
    .openapi(getWebhookRoute, handlers.get)
    .openapi(deleteWebhookRoute, handlers.remove)
    .openapi(listDeliveriesRoute, handlers.deliveries)
    .openapi(testWebhookRoute, handlers.test);
}
