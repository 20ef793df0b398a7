import { createRoute, z } from '@hono/zod-openapi';
import { secured } from '../../openapi.ts';
import { AUTHENTICATED_ERRORS, errorResponses, jsonBody, jsonResponse, UuidParam } from '../../schemas/common.ts';
import type { OutboundPolicy } from '../../../shared/outbound/outbound-policy.ts';
import { ConnectionCheckSchema } from '../../schemas/connection-check.ts';
import { ConnectionListQuery, ConnectionPageSchema, ConnectionSchema, createConnectionRequestSchema, UpdateConnectionSchema } from '../../schemas/connection.ts';

const ConnectionParams = z.object({ connectionId: UuidParam('connectionId', 'Connection id') });

/** The create route of an app: its body declares the base URLs that app's outbound policy admits. */
export const createConnectionRoute = (policy: OutboundPolicy) => createRoute(secured(['engineer'], {
  method: 'post',
  path: '/',
  tags: ['Connections'],
  summary: 'Create a connection',
  description:
    'Stores a connection to Affinity (job source) or Attio (job target). The credentials are encrypted with AES-256-GCM ' +
    'before they are stored and are never returned, logged or audited. 503 `encryption_not_configured` when the server has no encryption key.\n\n' +
    "Outbound policy: `baseUrl` must be the connector type's official API, or a host the server's operator allow-listed " +
    '(`FREIGHT_OUTBOUND_ALLOW_HOSTS`, for sandboxes); anything else answers 400 `validation_failed`. At run time every call ' +
    'resolves the host and refuses loopback, private, link-local (metadata), unique-local, multicast and other non-public ' +
    'addresses unless the host is allow-listed, and follows no redirect: the job then fails with error kind `outbound_refused`.',
  request: { body: jsonBody(createConnectionRequestSchema(policy), 'The connection to create') },
  responses: {
    201: jsonResponse(ConnectionSchema, 'Created (without credentials)'),
    ...errorResponses(...AUTHENTICATED_ERRORS, 413, 415, 503),
  },
}));

export const listConnectionsRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/',
  tags: ['Connections'],
  summary: 'List connections',
  description: 'Newest first, keyset-paginated; deleted connections are not listed.',
  request: { query: ConnectionListQuery },
  responses: {
    200: jsonResponse(ConnectionPageSchema, 'A page of connections'),
    ...errorResponses(...AUTHENTICATED_ERRORS),
  },
}));

export const getConnectionRoute = createRoute(secured(['engineer', 'viewer'], {
  method: 'get',
  path: '/{connectionId}',
  tags: ['Connections'],
  summary: 'Get a connection',
  description: 'Never the credentials. Deleted connections and those of other tenants answer 404.',
  request: { params: ConnectionParams },
  responses: {
    200: jsonResponse(ConnectionSchema, 'The connection (without credentials)'),
    ...errorResponses(...AUTHENTICATED_ERRORS, 404),
  },
}));

export const deleteConnectionRoute = createRoute(secured(['engineer'], {
  method: 'delete',
  path: '/{connectionId}',
  tags: ['Connections'],
  summary: 'Delete a connection',
  description: 'Soft delete: jobs keep referring to it, new jobs cannot use it. 409 while a job that is not finished uses it.',
  request: { params: ConnectionParams },
  responses: {
    204: { description: 'Deleted' },
    ...errorResponses(...AUTHENTICATED_ERRORS, 404, 409),
  },
}));

export const testConnectionRoute = createRoute(secured(['engineer'], {
  method: 'post',
  path: '/{connectionId}/test',
  tags: ['Connections'],
  summary: 'Check a connection',
  description:
    'Calls the connection\'s API with its stored credentials and answers 200 with one item per check, whether they pass or not: ' +
    '`reachable`, `credentials` accepted, `permissions` a migration needs (Affinity: the export permissions, probed with one ' +
    '`limit=1` read each, which count against the monthly quota; Attio: the token\'s scopes from `GET /v2/self`; Tallyfy: ' +
    'membership of the organisation), `objects` (Attio: the deals object enabled), `quota` left (Affinity: `GET /rate-limit`), ' +
    'and `identity` (Affinity: the instance and user from `GET /auth/whoami`; Attio: the workspace; Process Street: the key\'s ' +
    'label from `GET /testAuth`; Tallyfy: the organisation). Each item says what to do when it does not pass.\n\n' +
    'The same check runs when a job is created: a `fail` refuses the job with 422 `connection_check_failed`; an `error` ' +
    '(the check could not run) or a `warn` does not. Calls go through the outbound policy. Audited as `connection.test`. ' +
    'Deleted connections and those of other tenants answer 404.',
  request: { params: ConnectionParams },
  responses: {
    200: jsonResponse(ConnectionCheckSchema, 'The checks and their outcome'),
    ...errorResponses(...AUTHENTICATED_ERRORS, 404, 503),
  },
}));

export const updateConnectionRoute = createRoute(secured(['engineer'], {
  method: 'patch',
  path: '/{connectionId}',
  tags: ['Connections'],
  summary: "Replace a connection's credentials",
  description:
    'For a revoked or rotated token: the new credentials are checked against the type\'s schema, sealed like on create, ' +
    'audit-logged (never their values) and never returned. Type, base URL and settings stay. Resume a job that failed on ' +
    'the old credentials afterwards (`POST /v1/jobs/{jobId}/resume`). 404 for deleted connections and those of other tenants.',
  request: { params: ConnectionParams, body: jsonBody(UpdateConnectionSchema, 'New credentials (and optionally a new name)') },
  responses: {
    200: jsonResponse(ConnectionSchema, 'The connection (without credentials)'),
    ...errorResponses(...AUTHENTICATED_ERRORS, 404, 413, 415, 422),
  },
}));
