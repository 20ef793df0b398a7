import { createRoute, z } from '@hono/zod-openapi';
import { secured } from '../../openapi.ts';
import { AUTHENTICATED_ERRORS, errorResponses, jsonBody, jsonResponse, UuidParam } from '../../schemas/common.ts';
import type { AllowedHost } from '../../../shared/outbound/allow-list.ts';
import {
  CreatedWebhookSchema, createWebhookRequestSchema, DeliveryPageSchema, ListQuery, TestEventSchema, WebhookPageSchema, WebhookSchema,
} from '../../schemas/webhook.ts';

const WebhookParams = z.object({ webhookId: UuidParam('webhookId', 'Webhook id') });

export const createWebhookRoute = (allowHosts: readonly AllowedHost[]) => createRoute(secured(['engineer'], {
  method: 'post',
  path: '/',
  tags: ['Webhooks'],
  summary: 'Create a webhook',
  description:
    'Registers an endpoint for job status changes, failed batches and finished undos. The response carries the signing secret ' +
    'once; afterwards only its prefix is shown. Every delivery is a POST signed in `Freight-Signature: t=<unix seconds>,v1=<hex ' +
    'HMAC-SHA256(secret, "<t>.<raw body>")>` with `Freight-Event-Id` (the same on every retry) and `Freight-Event-Type`, retried ' +
    'with exponential backoff until the receiver answers 2xx (24 h by default, then logged as failed); a 410 Gone disables the endpoint.\n\n' +
    'Outbound policy (as for connections): a URL whose host is an IP address, `localhost`, a name resolving to a loopback, private, ' +
    'link-local (metadata) or other non-public address, or plain http to a host the operator did not allow-list answers 422 ' +
    '`webhook_url_refused`; every delivery checks the address it connects to again. 503 `encryption_not_configured` without an encryption key.',
  request: { body: jsonBody(createWebhookRequestSchema(allowHosts), 'The endpoint to create') },
  responses: {
    201: jsonResponse(CreatedWebhookSchema, 'Created (with the signing secret, this once)'),
    ...errorResponses(...AUTHENTICATED_ERRORS, 413, 415, 422, 503),
  },
}));

export const listWebhooksRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/',
  tags: ['Webhooks'],
  summary: 'List webhooks',
  description: 'Newest first, keyset-paginated; deleted endpoints are not listed. Never the secrets.',
  request: { query: ListQuery },
  responses: { 200: jsonResponse(WebhookPageSchema, 'A page of webhooks'), ...errorResponses(...AUTHENTICATED_ERRORS) },
}));

export const getWebhookRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/{webhookId}',
  tags: ['Webhooks'],
  summary: 'Get a webhook',
  description: 'Deleted endpoints and those of other tenants answer 404.',
  request: { params: WebhookParams },
  responses: { 200: jsonResponse(WebhookSchema, 'The webhook (secret prefix only)'), ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
}));

export const deleteWebhookRoute = createRoute(secured(['engineer'], {
  method: 'delete',
  path: '/{webhookId}',
  tags: ['Webhooks'],
  summary: 'Delete a webhook',
  description: 'Nothing more is delivered to it; deliveries still pending end as failed ("endpoint deleted").',
  request: { params: WebhookParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
}));

export const listDeliveriesRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/{webhookId}/deliveries',
  tags: ['Webhooks'],
  summary: 'Delivery log of a webhook',
  description: 'One entry per event sent to this endpoint, newest first: status, attempt count, last status code or error, next attempt, delivery time, and every attempt.',
  request: { params: WebhookParams, query: ListQuery },
  responses: { 200: jsonResponse(DeliveryPageSchema, 'A page of deliveries'), ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
}));

export const testWebhookRoute = createRoute(secured(['engineer'], {
  method: 'post',
  path: '/{webhookId}/test',
  tags: ['Webhooks'],
  summary: 'Send a test event',
  description: 'Queues a `webhook.test` event for this endpoint alone, delivered, signed and retried like any other; watch it in the delivery log.',
  request: { params: WebhookParams },
  responses: { 202: jsonResponse(TestEventSchema, 'Queued'), ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
}));
