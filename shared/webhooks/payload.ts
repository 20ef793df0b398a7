import type { WebhookEnvelope, WebhookFormat } from './webhook-model.ts';

const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '?');

/** One line for people (the Slack format's `text`). */
export function summaryLine(e: WebhookEnvelope): string {
  const d = e.data;
  switch (e.type) {
    case 'job.status_changed':
      return `Freight job ${str(d.jobId)} is now ${str(d.status)}${typeof d.previousStatus === 'string' ? ` (was ${d.previousStatus})` : ''}.`;
    case 'batch.failed':
      return `Freight job ${str(d.jobId)}: batch ${str(d.batchId)} (${str(d.object)}) failed after ${str(d.attempt)} attempt(s).`;
    case 'undo.finished':
      return `Freight undo of job ${str(d.jobId)} finished: ${str(d.status)}.`;
    default:
      return 'Freight test event: this endpoint receives deliveries.';
  }
}

/**
 * The exact bytes POSTed (and signed): the envelope as JSON, or `{"text": …}` for Slack's incoming
 * webhooks, which refuse bodies of another shape. Both carry the event id in `Freight-Event-Id`.
 */
export function deliveryBody(envelope: WebhookEnvelope, format: WebhookFormat): string {
  return format === 'slack' ? JSON.stringify({ text: summaryLine(envelope) }) : JSON.stringify(envelope);
}
