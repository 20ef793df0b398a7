import type { ScheduleService } from '../../../shared/schedules/schedules.ts';
import { createRouter } from '../../openapi.ts';
import { createScheduleHandlers } from './handlers.ts';
import {
  createScheduleRoute, deleteScheduleRoute, getScheduleRoute, listSchedulesRoute, pauseScheduleRoute, unpauseScheduleRoute,
} from './routes.ts';

/** `/v1/schedules`: a tenant's delta schedules (Temporal Schedules of delta passes); engineers write, viewers read. */
export function createSchedulesRouter(deps: { schedules: ScheduleService }) {
  const handlers = createScheduleHandlers(deps);
  return createRouter()
    .openapi(createScheduleRoute, handlers.create)
    .openapi(listSchedulesRoute, handlers.list)
    .openapi(getScheduleRoute, handlers.get)
    .openapi(pauseScheduleRoute, handlers.pause)
    .openapi(unpauseScheduleRoute, handlers.unpause)
    .openapi(deleteScheduleRoute, handlers.remove);
}
