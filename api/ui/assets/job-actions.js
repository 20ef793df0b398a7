// Engineer-only job controls. Built only for engineers: for any other role they are not in the DOM.
import { api, describeError } from './api.js';
import { el } from './dom.js';

const TERMINAL = new Set(['completed', 'completed_with_errors', 'failed', 'cancelled']);
const OPEN_FOR_RETRY = new Set(['running', 'paused', 'completed_with_errors']);

export function createJobActions({ jobId, container, onChange, report }) {
  async function run(label, path, body) {
    try {
      const answer = await api(`/v1/jobs/${jobId}/${path}`, { method: 'POST', ...(body ? { body } : {}) });
      if ('accepted' in answer) report(answer.accepted ? `${label}: accepted, ${answer.queued} batch(es) queued.` : `${label}: not accepted (${answer.reason ?? 'rejected'}).`);
      else report(`${label}: sent.`);
    } catch (err) {
      report(`${label} failed: ${describeError(err)}`);
    }
    onChange();
  }

  const button = (action, text, onClick) => {
    const b = el('button', { type: 'button', 'data-action': action, text });
    b.addEventListener('click', async () => {
      b.disabled = true;
      await onClick();
      b.disabled = false;
    });
    return b;
  };
  const buttons = {
    pause: button('pause', 'Pause', () => run('Pause', 'pause')),
    resume: button('resume', 'Resume', () => run('Resume', 'resume')),
    retryRecords: button('retry-failed-records', 'Retry failed records', () => run('Retry failed records', 'retry', { scope: 'failed-records' })),
    retryBatches: button('retry-failed-batches', 'Retry failed batches', () => run('Retry failed batches', 'retry', { scope: 'failed-batches' })),
    cancel: button('cancel', 'Cancel job', async () => {
      // A cancelled job cannot be resumed: ask first.
      if (!window.confirm(`Cancel job ${jobId}? Batches in flight are stopped and the job cannot be resumed.`)) return;
      await run('Cancel', 'cancel', { reason: 'cancelled from the dashboard' });
    }),
  };
  buttons.cancel.classList.add('danger');
  container.replaceChildren(...Object.values(buttons));
  container.hidden = false;

  return {
    /** Enables what makes sense in the job's current state (the API would refuse the rest anyway). */
    update(job) {
      const failedRecords = Object.values(job.counts ?? {}).reduce((n, c) => n + (c.failed ?? 0), 0);
      const failedBatches = (job.batches?.failed ?? 0) + (job.batches?.completed_with_errors ?? 0);
      buttons.pause.disabled = !['pending', 'running'].includes(job.status);
      buttons.resume.disabled = job.status !== 'paused';
      buttons.cancel.disabled = TERMINAL.has(job.status);
      buttons.retryRecords.disabled = !(OPEN_FOR_RETRY.has(job.status) && failedRecords > 0);
      buttons.retryBatches.disabled = !(OPEN_FOR_RETRY.has(job.status) && failedBatches > 0);
    },
  };
}
