import type { RouteHandler } from '@hono/zod-openapi';
import type { ScheduleService } from '../../../shared/schedules/schedules.ts';
import { actorOf } from '../../actor.ts';
import type { AppEnv } from '../../types.ts';
import type {
  createScheduleRoute, deleteScheduleRoute, getScheduleRoute, listSchedulesRoute, pauseScheduleRoute, unpauseScheduleRoute,
} from './routes.ts';

export function createScheduleHandlers(deps: { schedules: ScheduleService }) {
  const { schedules } = deps;

  const create: RouteHandler<typeof createScheduleRoute, AppEnv> = async (c) => {
    const { 'idempotency-key': idempotencyKey } = c.req.valid('header');
    const { schedule, created } = await schedules.create(actorOf(c), c.req.valid('json'), idempotencyKey);
    return created ? c.json(schedule, 201) : c.json(schedule, 200);
  };

  const list: RouteHandler<typeof listSchedulesRoute, AppEnv> = async (c) => c.json(await schedules.list(actorOf(c), c.req.valid('query')), 200);

  const get: RouteHandler<typeof getScheduleRoute, AppEnv> = async (c) => c.json(await schedules.get(actorOf(c), c.req.valid('param').scheduleId), 200);

  const pause: RouteHandler<typeof pauseScheduleRoute, AppEnv> = async (c) => c.json(await schedules.pause(actorOf(c), c.req.valid('param').scheduleId), 200);

  const unpause: RouteHandler<typeof unpauseScheduleRoute, AppEnv> = async (c) => c.json(await schedules.unpause(actorOf(c), c.req.valid('param').scheduleId), 200);

  const remove: RouteHandler<typeof deleteScheduleRoute, AppEnv> = async (c) => {
    await schedules.remove(actorOf(c), c.req.valid('param').scheduleId);
    return c.body(null, 204);
  };

  return { create, list, get, pause, unpause, remove };
}
