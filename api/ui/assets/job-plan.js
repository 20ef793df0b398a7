// The new-job page's "Plan" button: POST /v1/plans with the form's request, shown before the job is
// created — records per object, calls per endpoint on both sides, the quota verdict, the ETA, warnings.
import { api, describeError } from './api.js';
import { $, announce, el, fillRows, fmtDuration, fmtNumber } from './dom.js';

/** The source quota in words: fits, does not fit, unlimited, or unknown (the plan could not be made). */
function quotaVerdict(plan) {
  if (!plan || plan.error) return 'unknown (the plan could not be made)';
  const left = plan.monthlyRemaining === null ? 'unlimited or not reported' : `${fmtNumber(plan.monthlyRemaining)} left this month`;
  if (plan.fits === false) return `does not fit: ${fmtNumber(plan.total)} calls needed, ${left}`;
  return `fits: ${fmtNumber(plan.total)} calls needed, ${left}`;
}

function etaText(p) {
  if (p.etaSeconds === null) return 'no ETA (the plan could not be made)';
  const shared = p.etaSeconds !== p.aloneEtaSeconds ? ` (${fmtDuration(p.aloneEtaSeconds)} alone; the target workspace is shared with other jobs)` : '';
  return `${fmtDuration(p.etaSeconds)} under the real limits${shared}`;
}

function render(p) {
  const cp = p.callPlan;
  $('#plan-eta').textContent = etaText(p);
  $('#plan-quota').textContent = quotaVerdict(cp);
  fillRows($('#plan-counts tbody'), Object.entries(p.counts).map(([object, n]) => el('tr', {}, el('td', { text: object }), el('td', { class: 'num', text: fmtNumber(n) }))));
  const lines = [
    ...(cp?.lines ?? []).map((l) => ['source', l]),
    ...(cp?.eta?.targetLines ?? []).map((l) => ['target', l]),
  ];
  fillRows($('#plan-calls tbody'), lines.map(([side, l]) => el('tr', {},
    el('td', { text: side }), el('td', { class: 'mono', text: l.endpoint }), el('td', { class: 'num', text: fmtNumber(l.calls) }), el('td', { class: 'small', text: l.basis }))));
  const warnings = $('#plan-warnings');
  warnings.replaceChildren(...p.warnings.map((w) => el('li', { text: w })));
  $('#plan-no-warnings').hidden = p.warnings.length > 0;
  $('#plan-view').hidden = false;
}

/** Wires the Plan button; `read` returns the form's { body, problems } as the create button sends it. */
export function initPlan(read) {
  const button = $('#plan-button');
  const error = $('#plan-error');
  button.addEventListener('click', async () => {
    error.textContent = '';
    // A refusal of an earlier create no longer applies to what is planned now.
    $('#create-error').textContent = '';
    const { body, problems } = read();
    if (problems.length > 0) {
      error.textContent = `Cannot plan the job: ${problems.join('; ')}.`;
      return;
    }
    button.disabled = true;
    $('#plan-status').textContent = 'Counting the source and planning…';
    try {
      render(await api('/v1/plans', { method: 'POST', body }));
      $('#plan-status').textContent = '';
      announce('Plan ready');
    } catch (err) {
      $('#plan-status').textContent = '';
      error.textContent = `The job could not be planned: ${describeError(err)}`;
    } finally {
      button.disabled = false;
    }
  });
}
