import type { RouteHandler } from '@hono/zod-openapi';
import type { ReconcileService } from '../../../shared/reconcile/reconcile-service.ts';
import { actorOf } from '../../actor.ts';
import type { AppEnv } from '../../types.ts';
import type { getReconciliationCsvRoute, getReconciliationRoute, reconcileJobRoute } from './reconcile-routes.ts';

export function createReconcileHandlers(deps: { reconciliations: ReconcileService }) {
  const { reconciliations } = deps;

  const reconcile: RouteHandler<typeof reconcileJobRoute, AppEnv> = async (c) => {
    const { 'idempotency-key': idempotencyKey } = c.req.valid('header');
    const { run, created } = await reconciliations.request(actorOf(c), c.req.valid('param').jobId, idempotencyKey);
    return created ? c.json(run, 202) : c.json(run, 200);
  };

  const get: RouteHandler<typeof getReconciliationRoute, AppEnv> = async (c) =>
    c.json(await reconciliations.get(actorOf(c), c.req.valid('param').jobId, c.req.valid('query').seq), 200);

  const csv: RouteHandler<typeof getReconciliationCsvRoute, AppEnv> = async (c) => {
    const { jobId } = c.req.valid('param');
    const { stream, seq } = await reconciliations.csv(actorOf(c), jobId, c.req.valid('query').seq);
    return c.body(stream, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="job-${jobId}-reconciliation-${seq}.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
  };

  return { reconcile, get, csv };
}
