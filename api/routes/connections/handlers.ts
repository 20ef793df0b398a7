import type { RouteHandler } from '@hono/zod-openapi';
import type { ConnectionChecker } from '../../../shared/connections/connection-check.ts';
import type { ConnectionService } from '../../../shared/connections/connections.ts';
import { actorOf } from '../../actor.ts';
import type { AppEnv } from '../../types.ts';
import type { createConnectionRoute, deleteConnectionRoute, getConnectionRoute, listConnectionsRoute, testConnectionRoute, updateConnectionRoute } from './routes.ts';

type CreateRoute = ReturnType<typeof createConnectionRoute>;

export function createConnectionHandlers(deps: { connections: ConnectionService; createRoute: CreateRoute; check: ConnectionChecker }) {
  const create: RouteHandler<CreateRoute, AppEnv> = async (c) => {
    const body = c.req.valid('json');
    return c.json(await deps.connections.create(actorOf(c), body), 201);
  };

  const list: RouteHandler<typeof listConnectionsRoute, AppEnv> = async (c) => {
    return c.json(await deps.connections.list(actorOf(c), c.req.valid('query')), 200);
  };

  const get: RouteHandler<typeof getConnectionRoute, AppEnv> = async (c) => {
    const { connectionId } = c.req.valid('param');
    return c.json(await deps.connections.get(actorOf(c), connectionId), 200);
  };

  const update: RouteHandler<typeof updateConnectionRoute, AppEnv> = async (c) => {
    const { connectionId } = c.req.valid('param');
    return c.json(await deps.connections.update(actorOf(c), connectionId, c.req.valid('json')), 200);
  };

  const remove: RouteHandler<typeof deleteConnectionRoute, AppEnv> = async (c) => {
    const { connectionId } = c.req.valid('param');
    await deps.connections.remove(actorOf(c), connectionId);
    return c.body(null, 204);
  };

  const test: RouteHandler<typeof testConnectionRoute, AppEnv> = async (c) => {
    const { connectionId } = c.req.valid('param');
    return c.json(await deps.connections.test(actorOf(c), connectionId, deps.check), 200);
  };

  return { create, list, get, update, remove, test };
}
