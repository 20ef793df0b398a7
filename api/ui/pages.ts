import { html } from 'hono/html';
import { ERROR_KINDS } from '../../shared/error-kinds.ts';
import { DIFF_CLASSES } from '../../shared/jobs/dry-run-diff.ts';
import { BATCH_STATUSES } from '../../shared/jobs/job-progress.ts';
import { DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, DEFAULT_RETRY_POLICY, LIMITS } from '../../shared/jobs/job-request.ts';
import { CONNECTOR_NAMES, PAIRS } from '../../shared/pairs/index.ts';
import { JOB_STATUSES } from '../../workflows/migration-job/definitions.ts';

// The connection types each side of a job can be, from the pair data.
const SOURCE_TYPES = [...new Set(PAIRS.map((p) => p.source))];
const TARGET_TYPES = [...new Set(PAIRS.map((p) => p.target))];
const namesOf = (types: string[]) => types.map((t) => CONNECTOR_NAMES[t as keyof typeof CONNECTOR_NAMES] ?? t).join(' or ');

// Static page bodies. The scripts fill in data (always as text) and add role-dependent controls.

export function signInBody() {
  return html`<h1>Sign in</h1>
<p>Paste an API key of your tenant (<code>frt_live_…</code>). It is kept in this browser tab only and sent as a Bearer token.</p>
<form id="sign-in-form" class="card narrow" novalidate>
  <div class="field">
    <label for="api-key">API key</label>
    <input id="api-key" name="apiKey" type="password" autocomplete="off" spellcheck="false" required aria-describedby="sign-in-error">
  </div>
  <p id="sign-in-error" class="error" role="alert"></p>
  <button type="submit">Sign in</button>
</form>`;
}

export function jobsBody() {
  const statuses = JOB_STATUSES.map((s) => html`<option value="${s}">${s.replaceAll('_', ' ')}</option>`);
  return html`<div class="page-head">
  <h1>Jobs</h1>
  <a class="button" href="/ui/jobs/new" data-role-only="engineer" hidden>New job</a>
</div>
<div class="toolbar">
  <label for="status-filter">Status</label>
  <select id="status-filter"><option value="">all</option>${statuses}</select>
  <span class="muted" id="refreshed" aria-live="off"></span>
</div>
<div class="table-wrap">
<table id="jobs-table">
  <caption class="visually-hidden">Jobs, newest first (refreshed every 5 seconds)</caption>
  <thead><tr><th scope="col">Job</th><th scope="col">Status</th><th scope="col">Progress</th><th scope="col">Objects</th><th scope="col">Created</th></tr></thead>
  <tbody></tbody>
</table>
</div>
<p id="jobs-empty" class="muted" hidden>No jobs yet.</p>
<nav class="pager" aria-label="Job pages">
  <button type="button" id="prev-page" class="secondary" disabled>Previous page</button>
  <button type="button" id="next-page" class="secondary" disabled>Next page</button>
</nav>`;
}

function numberField(id: string, label: string, value: number, [min, max]: readonly [number, number], step = '1') {
  return html`<div class="field"><label for="${id}">${label}</label>
<input id="${id}" name="${id}" type="number" inputmode="decimal" min="${min}" max="${max}" step="${step}" value="${value}" required></div>`;
}

export function createBody() {
  // One set of object boxes per pair; job-create.js shows the one of the chosen connections' types.
  const objectSets = PAIRS.map((p, i) => html`<fieldset class="pair-objects" data-source="${p.source}" data-target="${p.target}"${i === 0 ? '' : ' hidden'}><legend>Objects (${p.displayName})</legend><div class="checks">${
    p.objects.map((o) => html`<label class="check"><input type="checkbox" name="objects" value="${o.kind}" checked> ${o.kind}</label>`)}</div></fieldset>`);
  const kinds = ERROR_KINDS.map((k) => html`<label class="check"><input type="checkbox" name="nonRetryable" value="${k}"> ${k}</label>`);
  const p = DEFAULT_RETRY_POLICY;
  return html`<h1>New job</h1>
<p id="create-denied" class="notice" hidden>Only engineers can create jobs.</p>
<form id="create-form" class="card" novalidate>
  <div class="grid-2">
    <div class="field"><label for="source">Source connection (${namesOf(SOURCE_TYPES)})</label><select id="source" name="source" data-types="${SOURCE_TYPES.join(',')}" required></select></div>
    <div class="field"><label for="target">Target connection (${namesOf(TARGET_TYPES)})</label><select id="target" name="target" data-types="${TARGET_TYPES.join(',')}" required></select></div>
  </div>
  ${objectSets}
  <div class="grid-3">
    ${numberField('batch-size', 'Batch size', DEFAULT_BATCH_SIZE, LIMITS.batchSize)}
    ${numberField('concurrency', 'Concurrency (batches in parallel)', DEFAULT_CONCURRENCY, LIMITS.concurrency)}
    <div class="field"><span class="label-like" aria-hidden="true">Mode</span><label class="check" for="dry-run"><input type="checkbox" id="dry-run" name="dryRun"> Dry run (read and map, write nothing)</label>
      <label class="check" for="proceed-over-quota"><input type="checkbox" id="proceed-over-quota" name="proceedOverQuota"> Create even if the source's monthly API quota cannot cover it</label></div>
  </div>
  <fieldset><legend>Retry policy (per batch)</legend>
    <div class="grid-4">
      ${numberField('max-attempts', 'Max attempts', p.maxAttempts, LIMITS.maxAttempts)}
      ${numberField('initial-interval', 'Initial interval (ms)', p.initialIntervalMs, LIMITS.initialIntervalMs)}
      ${numberField('backoff', 'Backoff coefficient', p.backoffCoefficient, LIMITS.backoffCoefficient, '0.1')}
      ${numberField('max-interval', 'Maximum interval (ms)', p.maximumIntervalMs, LIMITS.maximumIntervalMs)}
    </div>
    <fieldset class="inner"><legend>Never retry these error kinds</legend><div class="checks">${kinds}</div></fieldset>
  </fieldset>
  <div id="create-error" class="error" role="alert"></div>
  <div class="actions">
    <button type="button" id="plan-button" class="secondary">Plan</button>
    <button type="submit" id="create-submit">Create job</button>
  </div>
  <p id="plan-status" class="muted" role="status" aria-live="polite"></p>
  <div id="plan-error" class="error" role="alert"></div>
</form>
<section id="plan-view" class="card" aria-labelledby="plan-h" hidden>
  <h2 id="plan-h">Plan</h2>
  <p class="muted small">What the job would do, counted on the source before anything is written (POST /v1/plans).</p>
  <dl class="facts"><dt>ETA</dt><dd id="plan-eta"></dd><dt>Source quota</dt><dd id="plan-quota"></dd></dl>
  <h3>Warnings</h3>
  <ul id="plan-warnings"></ul>
  <p id="plan-no-warnings" class="muted">None.</p>
  <h3>Records per object</h3>
  <div class="table-wrap"><table id="plan-counts"><thead><tr><th scope="col">Object</th><th scope="col">Records</th></tr></thead><tbody></tbody></table></div>
  <h3>Calls per endpoint</h3>
  <div class="table-wrap"><table id="plan-calls"><thead><tr><th scope="col">Side</th><th scope="col">Endpoint</th><th scope="col">Calls</th><th scope="col">Basis</th></tr></thead><tbody></tbody></table></div>
</section>`;
}

export function jobBody() {
  const batchStatuses = BATCH_STATUSES.map((s) => html`<option value="${s}">${s.replaceAll('_', ' ')}</option>`);
  const diffClasses = DIFF_CLASSES.map((c) => html`<option value="${c}">${c}</option>`);
  return html`<p><a href="/ui">← All jobs</a></p>
<div class="page-head">
  <h1>Job <span id="job-id" class="mono"></span></h1>
  <span id="job-status" class="badge"></span>
</div>
<p id="job-error" class="error" role="alert"></p>
<div id="job-content" hidden>
<section aria-labelledby="progress-h" class="card">
  <h2 id="progress-h">Progress</h2>
  <progress id="job-progress" max="100" value="0" aria-labelledby="progress-h" aria-describedby="progress-text"></progress>
  <p id="progress-text"></p>
  <dl class="facts" id="job-facts"></dl>
  <p><a id="temporal-link" href="#" target="_blank" rel="noopener noreferrer">Workflow in Temporal Web UI</a>
    · <span id="live-mode" class="muted">connecting…</span></p>
  <div id="actions" class="actions" aria-label="Job actions" role="group" hidden></div>
  <p id="action-result" class="notice" role="status" aria-live="polite"></p>
</section>
<section aria-labelledby="objects-h" class="card">
  <h2 id="objects-h">Per object</h2>
  <div class="table-wrap"><table id="objects-table">
    <thead><tr><th scope="col">Object</th><th scope="col">Progress</th><th scope="col">Succeeded</th><th scope="col">Failed</th><th scope="col">Retrying</th><th scope="col">Skipped</th></tr></thead>
    <tbody></tbody>
  </table></div>
</section>
<section aria-labelledby="diff-h" class="card" id="diff-section" hidden>
  <h2 id="diff-h">Dry-run diff</h2>
  <p class="muted small">What a real run would do to each record, read from the target (nothing was written).</p>
  <dl class="facts" id="diff-counts"></dl>
  <div class="toolbar">
    <label for="diff-class">Class</label>
    <select id="diff-class"><option value="">all</option>${diffClasses}</select>
    <label for="diff-object">Object</label>
    <select id="diff-object"><option value="">all</option></select>
    <button type="button" class="secondary" id="diff-csv">Diff (CSV)</button>
  </div>
  <p id="diff-error" class="error" role="alert"></p>
  <div class="table-wrap"><table id="diff-table">
    <thead><tr><th scope="col">Object</th><th scope="col">Source id</th><th scope="col">Class</th><th scope="col">Target id</th><th scope="col">Changes (old → new)</th><th scope="col">Reason</th></tr></thead>
    <tbody></tbody>
  </table></div>
  <p id="diff-empty" class="muted" hidden>No records in this view.</p>
  <button type="button" id="more-diff" class="secondary" hidden>Show more records</button>
</section>
<section aria-labelledby="batches-h" class="card">
  <h2 id="batches-h">Batches</h2>
  <div class="toolbar">
    <label for="batch-filter">Status</label>
    <select id="batch-filter"><option value="">all</option>${batchStatuses}</select>
  </div>
  <div class="table-wrap"><table id="batches-table">
    <thead><tr><th scope="col">Batch</th><th scope="col">Status</th><th scope="col">Records</th><th scope="col">Succeeded</th><th scope="col">Failed</th><th scope="col">Skipped</th><th scope="col">Attempts</th><th scope="col">Duration</th><th scope="col">Error</th><th scope="col" data-role-only="engineer" hidden>Action</th></tr></thead>
    <tbody></tbody>
  </table></div>
  <button type="button" id="more-batches" class="secondary" hidden>Show more batches</button>
</section>
<section aria-labelledby="failures-h" class="card">
  <h2 id="failures-h">Failed records</h2>
  <div class="table-wrap"><table id="failures-table">
    <thead><tr><th scope="col">Object</th><th scope="col">Source id</th><th scope="col">Batch</th><th scope="col">Kind</th><th scope="col">Message</th><th scope="col">Attempts</th></tr></thead>
    <tbody></tbody>
  </table></div>
  <p id="failures-empty" class="muted" hidden>No failed records.</p>
  <button type="button" id="more-failures" class="secondary" hidden>Show more failures</button>
</section>
<section aria-labelledby="reconcile-h" class="card" id="reconcile">
  <h2 id="reconcile-h">Reconciliation</h2>
  <p class="muted small">Source and target compared through the vendors' public APIs: every record present once, every field as mapped, every reference resolving.</p>
  <p id="reconcile-summary" role="status" aria-live="polite">Loading…</p>
  <div class="actions">
    <button type="button" id="reconcile-run" hidden>Reconcile now</button>
    <button type="button" class="secondary" data-download="reconciliation.csv" data-filename="reconciliation.csv">Differences (CSV)</button>
  </div>
  <div class="table-wrap"><table id="reconcile-objects" hidden>
    <thead><tr><th scope="col">Object</th><th scope="col">Expected</th><th scope="col">Present</th><th scope="col">Missing</th><th scope="col">Duplicated</th><th scope="col">Mismatched</th><th scope="col">Unexpected</th><th scope="col">Skipped (logged)</th></tr></thead>
    <tbody></tbody>
  </table></div>
  <div class="table-wrap"><table id="reconcile-differences" hidden>
    <thead><tr><th scope="col">Difference</th><th scope="col">Object</th><th scope="col">Source id</th><th scope="col">Field</th><th scope="col">Expected</th><th scope="col">Actual</th><th scope="col">Reason</th></tr></thead>
    <tbody></tbody>
  </table></div>
  <p id="reconcile-more" class="muted small"></p>
</section>
<section aria-labelledby="downloads-h" class="card">
  <h2 id="downloads-h">Reports</h2>
  <div class="actions">
    <button type="button" class="secondary" data-download="report" data-filename="report.json">Report (JSON)</button>
    <button type="button" class="secondary" data-download="report.csv" data-filename="report.csv">Report (CSV)</button>
    <button type="button" class="secondary" data-download="records.csv" data-filename="records.csv">Records (CSV)</button>
  </div>
  <p id="download-result" class="notice" role="status" aria-live="polite"></p>
  <h3>Stored artifacts</h3>
  <p class="muted small">Batch archives and reports kept in object storage, as short-lived presigned links.</p>
  <button type="button" class="secondary" id="list-artifacts">List stored artifacts</button>
  <ul id="artifacts" class="artifacts"></ul>
</section>
</div>`;
}
