import type { RouteHandler } from '@hono/zod-openapi';
import type { JobService } from '../../../shared/jobs/jobs.ts';
import { actorOf } from '../../actor.ts';
import type { AppEnv } from '../../types.ts';
import type { cancelJobRoute, pauseJobRoute, resumeJobRoute, retryBatchRoute, retryJobRoute } from './control-routes.ts';
import type { listBatchesRoute, listRecordsRoute } from './log-routes.ts';
import type { createJobRoute, getJobRoute, listJobsRoute } from './routes.ts';
import type { undoJobRoute } from './undo-routes.ts';

export function createJobHandlers(deps: { jobs: JobService }) {
  const { jobs } = deps;

  const create: RouteHandler<typeof createJobRoute, AppEnv> = async (c) => {
    const { 'idempotency-key': idempotencyKey } = c.req.valid('header');
    const { job, created } = await jobs.create(actorOf(c), c.req.valid('json'), idempotencyKey);
    return created ? c.json(job, 201) : c.json(job, 200);
  };

  const list: RouteHandler<typeof listJobsRoute, AppEnv> = async (c) => c.json(await jobs.list(actorOf(c), c.req.valid('query')), 200);

  const get: RouteHandler<typeof getJobRoute, AppEnv> = async (c) => {
    const { jobId } = c.req.valid('param');
    return c.json(await jobs.get(actorOf(c), jobId, { live: c.req.valid('query').live === 'true' }), 200);
  };

  const cancel: RouteHandler<typeof cancelJobRoute, AppEnv> = async (c) => {
    const { jobId } = c.req.valid('param');
    return c.json(await jobs.cancel(actorOf(c), jobId, c.req.valid('json').reason), 202);
  };

  const pause: RouteHandler<typeof pauseJobRoute, AppEnv> = async (c) => c.json(await jobs.pause(actorOf(c), c.req.valid('param').jobId), 202);

  const resume: RouteHandler<typeof resumeJobRoute, AppEnv> = async (c) => c.json(await jobs.resume(actorOf(c), c.req.valid('param').jobId), 202);

  const retry: RouteHandler<typeof retryJobRoute, AppEnv> = async (c) => {
    const { jobId } = c.req.valid('param');
    return c.json(await jobs.retryFailed(actorOf(c), jobId, c.req.valid('json').scope), 200);
  };

  const retryBatch: RouteHandler<typeof retryBatchRoute, AppEnv> = async (c) => {
    const { jobId, batchId } = c.req.valid('param');
    return c.json(await jobs.retryBatch(actorOf(c), jobId, batchId), 200);
  };

  const batches: RouteHandler<typeof listBatchesRoute, AppEnv> = async (c) =>
    c.json(await jobs.listBatches(actorOf(c), c.req.valid('param').jobId, c.req.valid('query')), 200);

  const records: RouteHandler<typeof listRecordsRoute, AppEnv> = async (c) =>
    c.json(await jobs.listRecords(actorOf(c), c.req.valid('param').jobId, c.req.valid('query')), 200);

  const undo: RouteHandler<typeof undoJobRoute, AppEnv> = async (c) => {
    const { 'idempotency-key': idempotencyKey } = c.req.valid('header');
    const { job, created } = await jobs.undo(actorOf(c), c.req.valid('param').jobId, c.req.valid('json'), idempotencyKey);
    return created ? c.json(job, 201) : c.json(job, 200);
  };

  return { create, list, get, cancel, pause, resume, retry, retryBatch, batches, records, undo };
}
