// The job list: one page of jobs (keyset pages via nextCursor), each with its progress, refreshed every 5 s.
import { api, describeError } from './api.js';
import { $, announce, badge, el, fillRows, fmtDate, fmtNumber, setProgress } from './dom.js';

const PAGE_SIZE = 20;
const REFRESH_MS = 5000;
const DONE = new Set(['completed', 'completed_with_errors']);
// A job that completed with errors can still change (retries stay possible for a while); these cannot.
const FINAL = new Set(['completed', 'failed', 'cancelled']);

export async function init() {
  const state = { cursors: [null], page: 0, nextCursor: null, status: '' };
  // Jobs in a final state do not change any more: their details are fetched once.
  const finished = new Map();

  async function detailOf(job) {
    if (finished.has(job.id)) return finished.get(job.id);
    const detail = await api(`/v1/jobs/${job.id}`).catch(() => null);
    if (detail && FINAL.has(detail.status)) finished.set(job.id, detail);
    return detail;
  }

  function row(job, detail) {
    const progress = detail?.progress;
    // A finished job processed everything it found, estimate or not (as on the job page).
    const percent = detail && DONE.has(detail.status) ? 100 : progress?.percent ?? null;
    const of = progress?.estimatedTotal ? ` / ${fmtNumber(progress.estimatedTotal)}` : '';
    const text = progress ? `${fmtNumber(progress.processed)}${of} records${percent === null ? '' : ` (${percent}%)`}` : '–';
    const bar = el('progress', { max: 100, 'aria-label': `Progress of job ${job.id.slice(0, 8)}` });
    setProgress(bar, percent, text);
    return el('tr', { 'data-job-id': job.id },
      el('td', {}, el('a', { href: `/ui/jobs/${job.id}`, class: 'mono', 'aria-label': `Job ${job.id}` }, job.id.slice(0, 8))),
      el('td', {}, badge(detail?.status ?? job.status)),
      el('td', { class: 'progress-cell' }, bar, el('span', { class: 'muted small', text })),
      el('td', { text: job.objects.join(', ') }),
      el('td', { text: fmtDate(job.createdAt) }));
  }

  async function load() {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (state.status) params.set('status', state.status);
    const cursor = state.cursors[state.page];
    if (cursor) params.set('cursor', cursor);
    try {
      const page = await api(`/v1/jobs?${params}`);
      const details = await Promise.all(page.data.map(detailOf));
      fillRows($('#jobs-table tbody'), page.data.map((job, i) => row(job, details[i])));
      $('#jobs-empty').hidden = page.data.length > 0;
      state.nextCursor = page.nextCursor;
      $('#next-page').disabled = !page.nextCursor;
      $('#prev-page').disabled = state.page === 0;
      $('#refreshed').textContent = `Updated ${new Date().toLocaleTimeString()}`;
    } catch (err) {
      $('#refreshed').textContent = describeError(err);
    }
  }

  $('#next-page').addEventListener('click', async () => {
    if (!state.nextCursor) return;
    state.cursors[state.page + 1] = state.nextCursor;
    state.page += 1;
    await load();
    announce(`Page ${state.page + 1} of jobs`);
  });
  $('#prev-page').addEventListener('click', async () => {
    if (state.page === 0) return;
    state.page -= 1;
    await load();
    announce(`Page ${state.page + 1} of jobs`);
  });
  $('#status-filter').addEventListener('change', async (event) => {
    state.status = event.target.value;
    state.cursors = [null];
    state.page = 0;
    await load();
  });

  await load();
  setInterval(() => {
    if (!document.hidden) void load();
  }, REFRESH_MS);
}
