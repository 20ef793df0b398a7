import type { JobService } from '../../../shared/jobs/jobs.ts';
import type { ReconcileService } from '../../../shared/reconcile/reconcile-service.ts';
import type { ReportService } from '../../../shared/reports/report-service.ts';
import { createRouter } from '../../openapi.ts';
import { cancelJobRoute, pauseJobRoute, resumeJobRoute, retryBatchRoute, retryJobRoute } from './control-routes.ts';
import { createDeltaHandler, getDeltaRoute } from './delta-routes.ts';
import { createJobEventsHandler, type JobEventsDeps } from './events-handler.ts';
import { jobEventsRoute } from './events-routes.ts';
import { createJobHandlers } from './handlers.ts';
import { listBatchesRoute, listRecordsRoute } from './log-routes.ts';
import { createReconcileHandlers } from './reconcile-handlers.ts';
import { getReconciliationCsvRoute, getReconciliationRoute, reconcileJobRoute } from './reconcile-routes.ts';
import { createReportHandlers } from './report-handlers.ts';
import { getDiffCsvRoute, getDiffRoute, getRecordsCsvRoute, getReportCsvRoute, getReportRoute, listArtifactsRoute } from './report-routes.ts';
import { createJobRoute, getJobRoute, listJobsRoute } from './routes.ts';
import { undoJobRoute } from './undo-routes.ts';

/** `/v1/jobs`: migration jobs of the caller's tenant, their control (signals, retries) and logs. */
export function createJobsRouter(deps: { jobs: JobService; reports: ReportService; reconciliations: ReconcileService; events: JobEventsDeps }) {
  const handlers = createJobHandlers(deps);
  const reports = createReportHandlers(deps);
  const reconciliations = createReconcileHandlers(deps);
  return createRouter()
    .openapi(createJobRoute, handlers.create)
    .openapi(listJobsRoute, handlers.list)
    .openapi(getJobRoute, handlers.get)
    .openapi(cancelJobRoute, handlers.cancel)
    .openapi(pauseJobRoute, handlers.pause)
    .openapi(resumeJobRoute, handlers.resume)
    .openapi(retryJobRoute, handlers.retry)
    .openapi(retryBatchRoute, handlers.retryBatch)
    .openapi(undoJobRoute, handlers.undo)
    .openapi(listBatchesRoute, handlers.batches)
    .openapi(listRecordsRoute, handlers.records)
    .openapi(getReportRoute, reports.report)
    .openapi(getReportCsvRoute, reports.reportCsv)
    .openapi(getRecordsCsvRoute, reports.recordsCsv)
    .openapi(listArtifactsRoute, reports.artifacts)
    .openapi(getDeltaRoute, createDeltaHandler(deps))
    .openapi(reconcileJobRoute, reconciliations.reconcile)
    .openapi(getReconciliationRoute, reconciliations.get)
    .openapi(getReconciliationCsvRoute, reconciliations.csv)
    .openapi(getDiffRoute, reports.diff)
    .openapi(getDiffCsvRoute, reports.diffCsv)
    .openapi(jobEventsRoute, createJobEventsHandler(deps.events));
}
