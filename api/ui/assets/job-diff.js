// The dry-run diff of a job: counts per class and the classified records, filtered by class and
// object, with "show more" paging and a CSV download of the same filter. Shown for dry-run jobs only.
import { api, describeError } from './api.js';
import { $, announce, el, fmtNumber, reconcileRows } from './dom.js';

const CLASSES = ['create', 'update', 'unchanged', 'conflict', 'refused', 'skipped'];
const PAGE = 100;

/** "slug: old → new" per changed field; values as compact JSON (arrays of one item unwrapped). */
function describeChanges(changes) {
  const show = (values) => (values.length === 0 ? '∅' : values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', '));
  return changes.map((c) => `${c.attribute}: ${show(c.old)} → ${show(c.new)}`).join('\n');
}

export function createJobDiff({ jobId, report }) {
  const section = $('#diff-section');
  const state = { items: [], nextCursor: null, objects: [] };
  const query = () => {
    const q = {};
    if ($('#diff-class').value) q.class = $('#diff-class').value;
    if ($('#diff-object').value) q.object = $('#diff-object').value;
    return q;
  };

  function row(r) {
    return el('tr', { 'data-class': r.class, 'data-source-id': r.sourceId },
      el('td', { text: r.object }),
      el('td', { class: 'mono', text: r.sourceId }),
      el('td', {}, el('span', { class: `badge diff-${r.class}`, text: r.class })),
      el('td', { class: 'mono', text: r.targetId ?? '' }),
      el('td', { class: 'wrap pre', text: describeChanges(r.changes) }),
      el('td', { class: 'wrap', text: r.reason ?? '' }));
  }

  function renderCounts(counts) {
    const list = $('#diff-counts');
    list.replaceChildren(...CLASSES.flatMap((c) => [el('dt', { text: c }), el('dd', { 'data-class': c, text: fmtNumber(counts[c] ?? 0) })]));
  }

  function renderObjects(byObject) {
    const objects = Object.keys(byObject).sort();
    if (objects.join() === state.objects.join()) return;
    state.objects = objects;
    const select = $('#diff-object');
    const chosen = select.value;
    select.replaceChildren(el('option', { value: '', text: 'all' }), ...objects.map((o) => el('option', { value: o, text: o })));
    select.value = objects.includes(chosen) ? chosen : '';
  }

  function render() {
    reconcileRows($('#diff-table tbody'), state.items, { key: (r) => `${r.object}:${r.sourceId}`, render: row });
    $('#diff-empty').hidden = state.items.length > 0;
    $('#more-diff').hidden = !state.nextCursor;
  }

  async function load() {
    try {
      const limit = Math.min(1000, Math.max(PAGE, state.items.length));
      const page = await api(`/v1/jobs/${jobId}/diff?${new URLSearchParams({ ...query(), limit: String(limit) })}`);
      renderCounts(page.counts);
      renderObjects(page.byObject);
      state.items = page.data;
      state.nextCursor = page.nextCursor;
      render();
      $('#diff-error').textContent = '';
    } catch (err) {
      $('#diff-error').textContent = describeError(err);
    }
  }

  for (const id of ['#diff-class', '#diff-object']) {
    $(id).addEventListener('change', async () => {
      state.items = [];
      await load();
      announce(`${state.items.length} records shown`);
    });
  }
  $('#more-diff').addEventListener('click', async () => {
    if (!state.nextCursor) return;
    const page = await api(`/v1/jobs/${jobId}/diff?${new URLSearchParams({ ...query(), limit: String(PAGE), cursor: state.nextCursor })}`);
    state.items.push(...page.data);
    state.nextCursor = page.nextCursor;
    render();
  });
  $('#diff-csv').addEventListener('click', async () => {
    const button = $('#diff-csv');
    button.disabled = true;
    try {
      const res = await api(`/v1/jobs/${jobId}/diff.csv?${new URLSearchParams(query())}`, { raw: true, headers: { accept: '*/*' } });
      const url = URL.createObjectURL(await res.blob());
      const link = el('a', { href: url, download: `job-${jobId.slice(0, 8)}-diff.csv`, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      report('Downloaded the diff (CSV).');
    } catch (err) {
      report(`Download failed: ${describeError(err)}`);
    }
    button.disabled = false;
  });

  return {
    /** Shows the section (dry-run jobs only) and re-reads it. */
    async refresh(job) {
      if (!job.dryRun) return;
      section.hidden = false;
      await load();
    },
  };
}
