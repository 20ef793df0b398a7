// Batches and failed records of one job, with "show more" paging and per-batch retry for engineers.
import { api, describeError } from './api.js';
import { $, announce, badge, el, fmtDuration, fmtNumber, reconcileRows } from './dom.js';

const RETRYABLE_BATCH = new Set(['failed', 'completed_with_errors']);
const PAGE = 100;

/** A keyed list that re-reads as many rows as it shows and can load the next page. */
function pagedList(url, keyOf) {
  const state = { items: [], nextCursor: null };
  return {
    state,
    async refresh(query) {
      const limit = Math.min(1000, Math.max(PAGE, state.items.length));
      const page = await api(`${url}?${new URLSearchParams({ ...query, limit: String(limit) })}`);
      state.items = page.data;
      state.nextCursor = page.nextCursor;
    },
    async more(query) {
      if (!state.nextCursor) return;
      const page = await api(`${url}?${new URLSearchParams({ ...query, limit: String(PAGE), cursor: state.nextCursor })}`);
      const seen = new Set(state.items.map(keyOf));
      state.items.push(...page.data.filter((item) => !seen.has(keyOf(item))));
      state.nextCursor = page.nextCursor;
    },
  };
}

export function createJobTables({ jobId, canAct, onChange, report }) {
  const batches = pagedList(`/v1/jobs/${jobId}/batches`, (b) => b.id);
  const failures = pagedList(`/v1/jobs/${jobId}/records`, (r) => `${r.object}:${r.sourceId}`);
  const batchQuery = () => ($('#batch-filter').value ? { status: $('#batch-filter').value } : {});
  const failureQuery = { status: 'failed' };

  async function retryBatch(batch, button) {
    button.disabled = true;
    try {
      const answer = await api(`/v1/jobs/${jobId}/batches/${encodeURIComponent(batch.id)}/retry`, { method: 'POST' });
      report(answer.accepted ? `Batch ${batch.id} queued for retry.` : `Batch ${batch.id} was not retried: ${answer.reason ?? 'rejected'}.`);
    } catch (err) {
      report(`Retry of batch ${batch.id} failed: ${describeError(err)}`);
    }
    button.disabled = false;
    onChange();
  }

  function batchRow(b) {
    const error = b.errorKind || b.errorMessage ? `${b.errorKind ?? ''}${b.errorKind && b.errorMessage ? ': ' : ''}${b.errorMessage ?? ''}` : '';
    const cells = [
      el('td', { class: 'mono', text: b.id }),
      el('td', {}, badge(b.status)),
      el('td', { class: 'num', text: fmtNumber(b.recordCount) }),
      el('td', { class: 'num', text: fmtNumber(b.succeeded) }),
      el('td', { class: 'num', text: fmtNumber(b.failed) }),
      el('td', { class: 'num', text: fmtNumber(b.skipped) }),
      el('td', { class: 'num', text: fmtNumber(b.attempts) }),
      el('td', { text: b.durationMs === null ? '–' : fmtDuration(b.durationMs / 1000) }),
      el('td', { class: 'wrap', text: error }),
    ];
    if (canAct) {
      const cell = el('td');
      if (RETRYABLE_BATCH.has(b.status)) {
        const button = el('button', { type: 'button', class: 'small', 'data-action': 'retry-batch', 'aria-label': `Retry batch ${b.id}`, text: 'Retry batch' });
        button.addEventListener('click', () => void retryBatch(b, button));
        cell.append(button);
      }
      cells.push(cell);
    }
    return el('tr', { 'data-batch-id': b.id, 'data-status': b.status }, ...cells);
  }

  function failureRow(r) {
    return el('tr', {},
      el('td', { text: r.object }),
      el('td', { class: 'mono', text: r.sourceId }),
      el('td', { class: 'mono', text: r.batchId }),
      el('td', { text: r.errorKind ?? '' }),
      el('td', { class: 'wrap', text: r.errorMessage ?? '' }),
      el('td', { class: 'num', text: fmtNumber(r.attempts) }));
  }

  function render() {
    reconcileRows($('#batches-table tbody'), batches.state.items, { key: (b) => b.id, render: batchRow });
    $('#more-batches').hidden = !batches.state.nextCursor;
    reconcileRows($('#failures-table tbody'), failures.state.items, { key: (r) => `${r.object}:${r.sourceId}`, render: failureRow });
    $('#failures-empty').hidden = failures.state.items.length > 0;
    $('#more-failures').hidden = !failures.state.nextCursor;
  }

  $('#batch-filter').addEventListener('change', async () => {
    batches.state.items = [];
    await batches.refresh(batchQuery());
    render();
    announce(`${batches.state.items.length} batches shown`);
  });
  $('#more-batches').addEventListener('click', async () => {
    await batches.more(batchQuery());
    render();
  });
  $('#more-failures').addEventListener('click', async () => {
    await failures.more(failureQuery);
    render();
  });

  return {
    async refresh() {
      await Promise.all([batches.refresh(batchQuery()), failures.refresh(failureQuery)]);
      render();
    },
  };
}
