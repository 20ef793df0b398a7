import { KEY, psMarker, type CommentWrite, type PsComment } from '../contract.ts';
import { parseRunTaskTarget, personLabel } from './keys.ts';
import { cleanMultiline } from './text.ts';
import { skip, type PsMapContext, type PsMapOutcome } from './types.ts';

/**
 * Comment → comment on the task the run task became. Tallyfy posts as the API user and stamps the
 * time of posting, so author and date are carried in the text ("— <author>, <date> [ps:<id>]"): always
 * degraded. The marker at the end lets the target find a comment posted before a crash.
 */
export function mapComment(comment: PsComment, ctx: PsMapContext): PsMapOutcome<CommentWrite> {
  const run = ctx.resolve({ kind: KEY.run, id: comment.workflowRunId });
  if (!run) return skip('not_found', `run ${comment.workflowRunId} is not migrated`);
  const taskRef = ctx.resolve({ kind: KEY.runTask, id: comment.taskId });
  const task = taskRef ? parseRunTaskTarget(taskRef) : null;
  if (!task) return skip('not_found', `run task ${comment.taskId} has no Tallyfy task (not migrated, or no template match)`);
  const warnings: string[] = [];
  const text = cleanMultiline(comment.text);
  if (text === '') warnings.push('comment text is empty');
  const footer = `— ${personLabel(comment.createdBy)}, ${comment.createdDate} ${psMarker(comment.id)}`;
  return {
    status: 'ok',
    write: { kind: 'comment', source: { kind: KEY.comment, id: comment.id }, runId: run.id, stepId: task.stepId, content: `${ctx.config.commentPrefix}${text}${text ? '\n\n' : ''}${footer}` },
    notes: [], warnings, degraded: ['author and date carried in the text (Tallyfy posts as the migration user, at migration time)'], unresolved: [],
  };
}
