import { createRoute } from '@hono/zod-openapi';
import { secured } from '../../openapi.ts';
import { AUTHENTICATED_ERRORS, errorResponses, jsonBody, jsonResponse } from '../../schemas/common.ts';
import { BatchIdParam, CancelJobSchema, RetryAnswerSchema, RetryJobSchema, SignalResultSchema } from '../../schemas/job-control.ts';
import { JobParams } from './routes.ts';

const signalResponses = {
  202: jsonResponse(SignalResultSchema, 'Sent to the workflow'),
  ...errorResponses(...AUTHENTICATED_ERRORS, 404, 409, 503),
};
const SIGNAL_NOTES = 'The workflow applies it asynchronously. 409 `job_terminal` if the job is already finished.';

export const cancelJobRoute = createRoute(secured(['engineer'], {
  method: 'post',
  path: '/{jobId}/cancel',
  tags: ['Jobs'],
  summary: 'Cancel a job',
  description: `Sent as the \`cancel\` signal: in-flight batches are cancelled. A job whose workflow never started is cancelled at once. ${SIGNAL_NOTES}`,
  request: { params: JobParams, body: { required: false, content: { 'application/json': { schema: CancelJobSchema } } } },
  responses: {
    202: jsonResponse(SignalResultSchema, 'Sent to the workflow'),
    ...errorResponses(...AUTHENTICATED_ERRORS, 404, 409, 413, 415, 503),
  },
}));

function signalRoute(kind: 'pause' | 'resume', summary: string, description: string) {
  return createRoute(secured(['engineer'], {
    method: 'post',
    path: `/{jobId}/${kind}`,
    tags: ['Jobs'],
    summary,
    description: `Sent as the \`${kind}\` signal: ${description} ${SIGNAL_NOTES}`,
    request: { params: JobParams },
    responses: signalResponses,
  }));
}

export const pauseJobRoute = signalRoute('pause', 'Pause a job', 'no new batches start; in-flight ones finish.');
export const resumeJobRoute = createRoute(secured(['engineer'], {
  method: 'post',
  path: '/{jobId}/resume',
  tags: ['Jobs'],
  summary: 'Resume a paused job, or a job that failed on a fatal error',
  description:
    'A paused job: sent as the `resume` signal, batches start again. A `failed` job (auth, quota, configuration, refused ' +
    'outbound call — fix the connection first, e.g. `PATCH /v1/connections/{connectionId}`): a new run of the same workflow id ' +
    'starts from what the job had done — kinds read to the end are not read again, the next page is read from the stored ' +
    'cursor, and in batches left unfinished only records whose latest outcome is not succeeded or skipped are written: nothing ' +
    'that succeeded is written again. The run is listed in the job\'s `runs` and announced as a `job.status_changed` event ' +
    '(`running`). 409 `job_terminal` for a job that completed or was cancelled, 409 `conflict` while an execution is still open.',
  request: { params: JobParams },
  responses: signalResponses,
}));

const RETRY_NOTES =
  "Sent as the workflow's `requestRetry` update, whose answer is returned. 409 `retry_rejected` when the workflow refuses " +
  '(e.g. the job is being cancelled). A job that finished with errors and whose workflow closed (its retry window, ' +
  '`FREIGHT_JOB_RETRY_WINDOW_HOURS`, passed) is reopened: a new run of the same workflow id retries exactly what was asked ' +
  '(answer `run`), listed in the job\'s `runs`. 409 `job_closed` for other closed jobs (a failed job is resumed instead). ' +
  '503 `workflow_unresponsive` when no worker answers in time.';

export const retryJobRoute = createRoute(secured(['engineer'], {
  method: 'post',
  path: '/{jobId}/retry',
  tags: ['Jobs'],
  summary: 'Retry all failed batches or all failed records',
  description: `\`failed-batches\` re-runs failed batches whole; \`failed-records\` re-runs only the failed records of each batch. ${RETRY_NOTES}`,
  request: { params: JobParams, body: jsonBody(RetryJobSchema, 'What to retry') },
  responses: {
    200: jsonResponse(RetryAnswerSchema, "The workflow's answer"),
    ...errorResponses(...AUTHENTICATED_ERRORS, 404, 409, 413, 415, 503),
  },
}));

export const retryBatchRoute = createRoute(secured(['engineer'], {
  method: 'post',
  path: '/{jobId}/batches/{batchId}/retry',
  tags: ['Jobs'],
  summary: 'Retry one batch',
  description: `404 if the job has no such batch. ${RETRY_NOTES}`,
  request: { params: JobParams.extend({ batchId: BatchIdParam }) },
  responses: {
    200: jsonResponse(RetryAnswerSchema, "The workflow's answer"),
    ...errorResponses(...AUTHENTICATED_ERRORS, 404, 409, 503),
  },
}));

