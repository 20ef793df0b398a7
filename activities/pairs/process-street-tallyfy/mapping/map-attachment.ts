import { KEY, type FileWrite, type PsAttachment } from '../contract.ts';
import { attachmentsCaptureKey, parseRunTaskTarget } from './keys.ts';
import { cleanText } from './text.ts';
import { skip, type PsMapContext, type PsMapOutcome } from './types.ts';

/**
 * Attachment → file in the step's "Attachments" capture (Tallyfy has no free-standing task attachment:
 * a file attaches only as a file-capture value). The step comes from the run task's id-map entry; the
 * capture is the one the blueprint added for that step's template task, found through the workflow
 * definition. Upload date and uploader are not preserved (degraded).
 */
export function mapAttachment(attachment: PsAttachment, ctx: PsMapContext): PsMapOutcome<FileWrite> {
  const fileName = cleanText(attachment.fileName) || `attachment-${attachment.id}`;
  if (attachment.size > ctx.config.maxFileBytes) return skip('validation', `"${fileName}" is ${attachment.size} bytes; Tallyfy takes at most ${ctx.config.maxFileBytes}`);
  if (!attachment.downloadUrl) return skip('validation', `"${fileName}" has no download link in Process Street`);
  const run = ctx.resolve({ kind: KEY.run, id: attachment.workflowRunId });
  if (!run) return skip('not_found', `run ${attachment.workflowRunId} is not migrated`);
  const checklist = ctx.resolve({ kind: KEY.workflow, id: attachment.workflowId });
  if (!checklist) return skip('not_found', `workflow ${attachment.workflowId} is not migrated`);
  const taskRef = ctx.resolve({ kind: KEY.runTask, id: attachment.taskId });
  const task = taskRef ? parseRunTaskTarget(taskRef) : null;
  if (!task) return skip('not_found', `run task ${attachment.taskId} has no Tallyfy task (not migrated, or no template match)`);
  const templateTask = ctx.template(attachment.workflowId)?.tasks.find((t) => ctx.resolve({ kind: KEY.templateTask, id: t.id })?.id === task.stepId);
  const capture = templateTask ? ctx.resolve(attachmentsCaptureKey(templateTask.id)) : undefined;
  if (!capture) return skip('not_found', `step ${task.stepId} has no "${ctx.config.attachmentsCaptureLabel}" capture (blueprint built without attachments?)`);
  return {
    status: 'ok',
    write: {
      kind: 'file', source: { kind: KEY.attachment, id: attachment.id }, runId: run.id, stepId: task.stepId, checklistId: checklist.id, captureId: capture.id,
      fileName, mimeType: attachment.mimeType || 'application/octet-stream', size: attachment.size, downloadUrl: attachment.downloadUrl,
    },
    notes: [`into the "${ctx.config.attachmentsCaptureLabel}" capture of step ${task.stepId}`], warnings: [],
    degraded: ['upload date and uploader not preserved (Tallyfy stamps the migration user and time)'], unresolved: [],
  };
}
