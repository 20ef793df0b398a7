// Reconciliation on the job page: the job's source and target compared through the vendors' public
// APIs (GET /v1/jobs/{id}/reconciliation): runs, counts per object, and the differences to sign off.
import { api, describeError, randomKey } from './api.js';
import { $, el, fillRows, fmtDate, fmtNumber, statusLabel } from './dom.js';

const FINISHED = new Set(['completed', 'failed', 'not_supported']);
/** Rows drawn on the page; the CSV holds every difference. */
const MAX_ROWS = 200;
const POLL_MS = 2000;

function summaryText(latest) {
  if (!latest) return 'Not reconciled yet.';
  const head = `Run ${latest.seq} (${latest.trigger === 'auto' ? 'after the job finished' : 'asked for'}, ${fmtDate(latest.createdAt)}): `;
  if (latest.status === 'completed') {
    return latest.differences === 0 ? `${head}0 differences — everything the source holds is in the target.` : `${head}${fmtNumber(latest.differences)} difference(s).`;
  }
  if (latest.status === 'failed' || latest.status === 'not_supported') return `${head}${statusLabel(latest.status)}: ${latest.error ?? ''}`;
  return `${head}${statusLabel(latest.status)}…`;
}

function objectRows(report) {
  return Object.entries(report?.objects ?? {}).map(([object, c]) => el('tr', { 'data-object': object },
    el('th', { scope: 'row', text: object }),
    ...[c.expected, c.present, c.missing, c.duplicates, c.mismatches, c.unexpected, c.skippedAsLogged].map((n) => el('td', { class: 'num', text: fmtNumber(n) }))));
}

function differenceRows(report) {
  return (report?.differences ?? []).slice(0, MAX_ROWS).map((d) => el('tr', { 'data-kind': d.kind },
    el('td', { text: d.kind.replaceAll('_', ' ') }), el('td', { text: d.object }), el('td', { class: 'mono', text: d.sourceId ?? '–' }),
    el('td', { text: d.field ?? '–' }), el('td', { text: d.expected ?? '' }), el('td', { text: d.actual ?? '' }), el('td', { text: d.reason ?? '' })));
}

export function createJobReconcile({ jobId, canAct, report }) {
  const button = $('#reconcile-run');
  button.hidden = !canAct;
  let timer = null;

  function render({ latest }) {
    $('#reconcile-summary').textContent = summaryText(latest);
    const r = latest?.report ?? null;
    $('#reconcile-objects').hidden = !r;
    fillRows($('#reconcile-objects tbody'), objectRows(r));
    const count = r?.differences.length ?? 0;
    $('#reconcile-differences').hidden = count === 0;
    fillRows($('#reconcile-differences tbody'), differenceRows(r));
    $('#reconcile-more').textContent = count > MAX_ROWS ? `First ${MAX_ROWS} of ${fmtNumber(count)} shown; the CSV lists every one.` : '';
  }

  // Polls left while no run is listed yet: a job that just finished starts its own a moment later.
  let waitsForRun = 0;
  async function refresh({ expectRun = false } = {}) {
    if (expectRun) waitsForRun = 15;
    try {
      const data = await api(`/v1/jobs/${jobId}/reconciliation`);
      render(data);
      if (data.latest) waitsForRun = 0;
      else if (waitsForRun > 0) waitsForRun -= 1;
      // A run still going (or about to be listed): look again shortly (once at a time).
      const going = data.latest ? !FINISHED.has(data.latest.status) : waitsForRun > 0;
      if (going && !timer) {
        timer = setTimeout(() => {
          timer = null;
          void refresh();
        }, POLL_MS);
      }
    } catch (err) {
      $('#reconcile-summary').textContent = `Reconciliation unavailable: ${describeError(err)}`;
    }
  }

  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const run = await api(`/v1/jobs/${jobId}/reconcile`, { method: 'POST', headers: { 'idempotency-key': randomKey() } });
      report(`Reconciliation ${run.seq} started.`);
      await refresh();
    } catch (err) {
      report(`Reconcile failed: ${describeError(err)}`);
    }
    button.disabled = false;
  });

  return { refresh };
}
