// Job detail: progress, per-object counts, batches, failures, controls (engineers), downloads, live updates.
import { api, describeError } from './api.js';
import { $, announce, badge, el, fmtDate, fmtDuration, fmtNumber, reconcileRows, setProgress, statusLabel } from './dom.js';
import { createJobActions } from './job-actions.js';
import { createJobReconcile } from './job-reconcile.js';
import { createJobDiff } from './job-diff.js';
import { createJobTables } from './job-tables.js';
import { wireArtifacts, wireDownloads } from './downloads.js';
import { followJobEvents } from './live.js';

const TERMINAL = new Set(['completed', 'completed_with_errors', 'failed', 'cancelled']);
const DONE = new Set(['completed', 'completed_with_errors']);
const POLL_MS = 2000;
const SAFETY_REFRESH_MS = 10000;
const FOLLOW_MS = 60000;

function overallPercent(job) {
  // A finished job processed everything it found: the up-front total is only an estimate.
  if (DONE.has(job.status)) return 100;
  // A failed or cancelled job is not moving: its bar stands where it stopped (0 without an estimate),
  // never the moving indeterminate one of a running job.
  if (TERMINAL.has(job.status)) return job.progress?.percent ?? 0;
  return job.progress?.percent ?? null;
}

function safeUrl(url) {
  try {
    const u = new URL(url, location.href);
    return ['http:', 'https:'].includes(u.protocol) ? u.href : null;
  } catch {
    return null;
  }
}

/** The call plan made at creation: calls against the monthly quota left (or why there is none). */
function callPlanText(plan) {
  if (plan.error) return `not made: ${plan.error}`;
  const left = plan.monthlyRemaining === null ? 'no monthly limit reported' : `${fmtNumber(plan.monthlyRemaining)} left this month`;
  const verdict = plan.fits === false ? ' — does not fit (created with proceedOverQuota)' : '';
  return `${fmtNumber(plan.total)} ${plan.system} calls (${plan.callsPerRecord ?? '–'} per record), ${left}${verdict}`;
}

function facts(job) {
  const p = job.progress ?? {};
  const b = job.batches ?? {};
  const items = [
    ['Created', fmtDate(job.createdAt)], ['Started', fmtDate(job.startedAt)], ['Finished', fmtDate(job.finishedAt)],
    ['Elapsed', fmtDuration(p.elapsedSeconds)], ['Throughput', p.recordsPerMinute === null || p.recordsPerMinute === undefined ? '–' : `${fmtNumber(p.recordsPerMinute)} records/min`],
    ['ETA', fmtDuration(p.etaSeconds)],
    ['Estimate', p.estimateNote ?? '–'],
    ['Batches', Object.entries(b).filter(([, n]) => n > 0).map(([s, n]) => `${fmtNumber(n)} ${statusLabel(s)}`).join(', ') || '–'],
    ['Options', `batch size ${job.batchSize}, concurrency ${job.concurrency}${job.dryRun ? ', dry run' : ''}`],
    ['Retry policy', `${job.retryPolicy.maxAttempts} attempts, ${job.retryPolicy.initialIntervalMs} ms × ${job.retryPolicy.backoffCoefficient} up to ${job.retryPolicy.maximumIntervalMs} ms`],
  ];
  if (job.callPlan) items.push(['Source API plan', callPlanText(job.callPlan)]);
  if (job.error) items.push(['Error', job.error]);
  if (job.cancelReason) items.push(['Cancel reason', job.cancelReason]);
  return items.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]);
}

export async function init({ me }) {
  const jobId = document.body.dataset.jobId;
  const canAct = me.role === 'engineer';
  const result = $('#action-result');
  const report = (message) => {
    result.textContent = message;
  };
  let job = null;
  let livePerObject = null;
  let liveProgress = null;
  let lastStatus = null;

  function objectPercent(object, counts, index) {
    const live = livePerObject?.[object];
    const total = live && typeof live === 'object' ? live.total ?? live.estimatedTotal : null;
    const processed = counts.succeeded + counts.failed + counts.skipped;
    if (total) return Math.min(100, Math.round((processed / total) * 1000) / 10);
    if (DONE.has(job.status)) return 100;
    // Objects run in dependency order: one that a later object has already started on is done.
    const later = job.objects.slice(index + 1).some((o) => job.counts[o]);
    if (later) return 100;
    // A stopped job's object without a total stands still at 0 rather than look busy.
    return TERMINAL.has(job.status) ? 0 : null;
  }

  function renderObjects() {
    const rows = job.objects.map((object, index) => ({ object, index, counts: job.counts[object] ?? { succeeded: 0, failed: 0, retrying: 0, skipped: 0 } }));
    reconcileRows($('#objects-table tbody'), rows, {
      key: (r) => r.object,
      signature: (r) => JSON.stringify([r.counts, objectPercent(r.object, r.counts, r.index)]),
      render: (r) => {
        const percent = objectPercent(r.object, r.counts, r.index);
        const bar = el('progress', { max: 100, 'aria-label': `Progress of ${r.object}` });
        setProgress(bar, percent, percent === null ? 'in progress' : `${percent}%`);
        return el('tr', { 'data-object': r.object },
          el('th', { scope: 'row', text: r.object }),
          el('td', { class: 'progress-cell' }, bar),
          el('td', { class: 'num', text: fmtNumber(r.counts.succeeded) }),
          el('td', { class: 'num', text: fmtNumber(r.counts.failed) }),
          el('td', { class: 'num', text: fmtNumber(r.counts.retrying) }),
          el('td', { class: 'num', text: fmtNumber(r.counts.skipped) }));
      },
    });
  }

  function renderProgress(percent, processed, total) {
    const of = total === null || total === undefined ? '' : ` of ${fmtNumber(total)}`;
    const text = `${fmtNumber(processed)}${of} records processed${percent === null ? '' : ` (${percent}%)`}`;
    setProgress($('#job-progress'), percent, text);
    $('#progress-text').textContent = text;
  }

  function renderJob() {
    $('#job-id').textContent = job.id;
    $('#job-status').replaceWith(Object.assign(badge(job.status), { id: 'job-status' }));
    // The stream may be a step ahead of the last poll (its percent is the job detail's, or null while
    // the job has no estimate: then the bar stays indeterminate rather than divide by records read so far).
    const useLive = job.progress?.percent === null && liveProgress && !TERMINAL.has(job.status);
    if (useLive) renderProgress(liveProgress.percent ?? null, Math.max(liveProgress.processed ?? 0, job.progress.processed), liveProgress.estimatedTotal ?? null);
    else renderProgress(overallPercent(job), job.progress?.processed ?? 0, job.progress?.estimatedTotal ?? null);
    $('#job-facts').replaceChildren(...facts(job));
    const link = $('#temporal-link');
    const href = safeUrl(job.temporalUiUrl);
    if (href) link.href = href;
    else link.removeAttribute('href');
    renderObjects();
    actions?.update(job);
    // A job that just finished starts its reconciliation: show it as it comes.
    if (lastStatus !== job.status && TERMINAL.has(job.status)) void reconcile?.refresh({ expectRun: lastStatus !== null && !job.dryRun });
    if (lastStatus !== null && lastStatus !== job.status) announce(`Job status: ${statusLabel(job.status)}`);
    lastStatus = job.status;
  }

  let refreshing = null;
  let again = false;
  async function refresh() {
    // One refresh at a time; a request during one runs once more after it.
    if (refreshing) {
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      try {
        job = await api(`/v1/jobs/${jobId}`);
        renderJob();
        await tables.refresh();
        await diff.refresh(job);
        $('#job-error').textContent = '';
      } catch (err) {
        $('#job-error').textContent = describeError(err);
      }
    })();
    await refreshing;
    refreshing = null;
    if (again) {
      again = false;
      await refresh();
    }
  }
  let scheduled = null;
  const scheduleRefresh = (ms = 300) => {
    if (scheduled) return;
    scheduled = setTimeout(() => {
      scheduled = null;
      void refresh();
    }, ms);
  };

  let followUntil = 0;
  const afterAction = () => {
    followUntil = Date.now() + FOLLOW_MS;
    scheduleRefresh(0);
  };
  // A job that cannot be read (not found, another tenant's, no access) shows only why: no controls,
  // tables or live status for a job that is not there.
  try {
    job = await api(`/v1/jobs/${jobId}`);
  } catch (err) {
    $('#job-error').textContent = describeError(err);
    return;
  }
  $('#job-content').hidden = false;
  const actions = canAct ? createJobActions({ jobId, container: $('#actions'), onChange: afterAction, report }) : null;
  const tables = createJobTables({ jobId, canAct, onChange: afterAction, report });
  const reconcile = createJobReconcile({ jobId, canAct, report });
  const diff = createJobDiff({ jobId, report });
  const downloadReport = (m) => {
    $('#download-result').textContent = m;
  };
  wireDownloads({ jobId, report: downloadReport });
  wireArtifacts({ jobId, report: downloadReport });

  renderJob();
  await refresh();

  let poll = null;
  const mode = $('#live-mode');
  followJobEvents(jobId, {
    onMode(m) {
      if (m === 'stream') mode.textContent = 'Live updates: streaming';
      else if (m === 'ended') mode.textContent = 'Live updates: stream closed by the server (as for a finished job), reopened every few seconds';
      else if (m === 'reconnecting') mode.textContent = 'Live updates: reconnecting…';
      else {
        mode.textContent = `Live updates: polling every ${POLL_MS / 1000} s`;
        poll ??= setInterval(() => void refresh(), POLL_MS);
      }
    },
    onEvent(type, data) {
      if (type === 'progress' && data && typeof data === 'object') {
        livePerObject = data.perObject ?? livePerObject;
        liveProgress = data;
        // With the job's own estimate the bar follows the job detail only: the stream's total
        // (at least the records extracted so far) can pass the estimate and pull the bar back.
        if (job.progress?.percent === null || job.progress?.percent === undefined) {
          const percent = TERMINAL.has(job.status) ? overallPercent(job) : data.percent ?? null;
          renderProgress(percent, data.processed ?? 0, data.estimatedTotal ?? null);
        }
        scheduleRefresh(1000);
      } else if (type === 'status' || type === 'batch') {
        if (type === 'batch' && data?.status === 'failed') announce(`Batch ${data.batchId} failed`);
        scheduleRefresh(type === 'status' ? 0 : 500);
      }
    },
  });
  // Events only say that something changed; a slow refresh also covers anything a stream gap missed,
  // and right after an action (a retry of a finished job's batch) the page follows closely for a while.
  let ticks = 0;
  setInterval(() => {
    ticks += 1;
    if (poll || document.hidden) return;
    const following = Date.now() < followUntil;
    if (following || (!TERMINAL.has(job.status) && ticks % (SAFETY_REFRESH_MS / POLL_MS) === 0)) void refresh();
  }, POLL_MS);
}
