import type { RouteHandler } from '@hono/zod-openapi';
import type { ReportService } from '../../../shared/reports/report-service.ts';
import { actorOf } from '../../actor.ts';
import type { AppEnv } from '../../types.ts';
import type { getDiffCsvRoute, getDiffRoute, getRecordsCsvRoute, getReportCsvRoute, getReportRoute, listArtifactsRoute } from './report-routes.ts';

const csvHeaders = (filename: string): Record<string, string> => ({
  'content-type': 'text/csv; charset=utf-8',
  'content-disposition': `attachment; filename="${filename}"`,
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
});

export function createReportHandlers(deps: { reports: ReportService }) {
  const { reports } = deps;

  const report: RouteHandler<typeof getReportRoute, AppEnv> = async (c) =>
    c.json(await reports.report(actorOf(c), c.req.valid('param').jobId), 200);

  const reportCsv: RouteHandler<typeof getReportCsvRoute, AppEnv> = async (c) => {
    const { jobId } = c.req.valid('param');
    return c.body(await reports.reportCsv(actorOf(c), jobId), 200, csvHeaders(`job-${jobId}-report.csv`));
  };

  const recordsCsv: RouteHandler<typeof getRecordsCsvRoute, AppEnv> = async (c) => {
    const { jobId } = c.req.valid('param');
    return c.body(await reports.recordsCsv(actorOf(c), jobId), 200, csvHeaders(`job-${jobId}-records.csv`));
  };

  const artifacts: RouteHandler<typeof listArtifactsRoute, AppEnv> = async (c) =>
    c.json({ data: await reports.artifacts(actorOf(c), c.req.valid('param').jobId) }, 200);

  const diff: RouteHandler<typeof getDiffRoute, AppEnv> = async (c) =>
    c.json(await reports.diff(actorOf(c), c.req.valid('param').jobId, c.req.valid('query')), 200);

  const diffCsv: RouteHandler<typeof getDiffCsvRoute, AppEnv> = async (c) => {
    const { jobId } = c.req.valid('param');
    return c.body(await reports.diffCsv(actorOf(c), jobId, c.req.valid('query')), 200, csvHeaders(`job-${jobId}-diff.csv`));
  };

  return { report, reportCsv, recordsCsv, artifacts, diff, diffCsv };
}
