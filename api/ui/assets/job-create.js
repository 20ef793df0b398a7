// The create-job form: connections from GET /v1/connections, options as POST /v1/jobs takes them.
import { api, ApiError, describeError, randomKey } from './api.js';
import { $, announce, el } from './dom.js';
import { initPlan } from './job-plan.js';

// The connection types a select offers come from the pair data (data-types on the select, from pages.ts).
function fillConnections(select, connections) {
  const types = (select.dataset.types ?? '').split(',');
  const options = connections.filter((c) => types.includes(c.type))
    .map((c) => {
      const option = el('option', { value: c.id, text: `${c.name} — ${c.baseUrl}` });
      option.dataset.type = c.type;
      return option;
    });
  if (options.length === 0) options.push(el('option', { value: '', text: `No ${types.join(' or ')} connection yet (POST /v1/connections)` }));
  select.replaceChildren(...options);
}

function checked(form, name) {
  return [...form.querySelectorAll(`fieldset:not([hidden]) input[name="${name}"]:checked`)].map((i) => i.value);
}

/** Shows the object boxes of the pair the chosen connections make (the first pair's until both are chosen). */
function showPairObjects() {
  const typeOf = (select) => select.selectedOptions[0]?.dataset.type;
  const source = typeOf($('#source'));
  const target = typeOf($('#target'));
  const sets = [...document.querySelectorAll('fieldset.pair-objects')];
  const match = sets.find((f) => f.dataset.source === source && f.dataset.target === target)
    ?? sets.find((f) => f.dataset.source === source || f.dataset.target === target) ?? sets[0];
  for (const f of sets) f.hidden = f !== match;
}

function numberOf(id) {
  const input = document.getElementById(id);
  return input.value.trim() === '' ? Number.NaN : Number(input.value);
}

/** The request body; problems the server would reject anyway are caught here with the same wording. */
function readForm(form) {
  const body = {
    sourceConnectionId: $('#source').value,
    targetConnectionId: $('#target').value,
    objects: checked(form, 'objects'),
    batchSize: numberOf('batch-size'),
    concurrency: numberOf('concurrency'),
    dryRun: $('#dry-run').checked,
    proceedOverQuota: $('#proceed-over-quota').checked,
    retryPolicy: {
      maxAttempts: numberOf('max-attempts'),
      initialIntervalMs: numberOf('initial-interval'),
      backoffCoefficient: numberOf('backoff'),
      maximumIntervalMs: numberOf('max-interval'),
      nonRetryable: checked(form, 'nonRetryable'),
    },
  };
  const problems = [];
  if (!body.sourceConnectionId) problems.push('choose a source connection');
  if (!body.targetConnectionId) problems.push('choose a target connection');
  if (body.objects.length === 0) problems.push('pick at least one object');
  return { body, problems };
}

export async function init({ me }) {
  const form = $('#create-form');
  if (me.role !== 'engineer') {
    form.remove();
    $('#create-denied').hidden = false;
    return;
  }
  const error = $('#create-error');
  try {
    const page = await api('/v1/connections?limit=500');
    fillConnections($('#source'), page.data);
    fillConnections($('#target'), page.data);
    showPairObjects();
  } catch (err) {
    error.textContent = describeError(err);
  }

  $('#source').addEventListener('change', showPairObjects);
  $('#target').addEventListener('change', showPairObjects);
  initPlan(() => readForm(form));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    const { body, problems } = readForm(form);
    if (problems.length > 0) {
      error.textContent = `Cannot create the job: ${problems.join('; ')}.`;
      return;
    }
    const submit = $('#create-submit');
    submit.disabled = true;
    try {
      const job = await api('/v1/jobs', { method: 'POST', body, headers: { 'idempotency-key': randomKey() } });
      announce('Job created');
      location.assign(`/ui/jobs/${job.id}`);
    } catch (err) {
      error.textContent = err instanceof ApiError ? `The job was not created: ${describeError(err)}` : describeError(err);
      error.focus?.();
      submit.disabled = false;
    }
  });
}
