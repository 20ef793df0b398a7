import { KEY, psMarker, type BlueprintWrite, type CaptureSpec, type PsWorkflow, type StepSpec } from '../contract.ts';
import { attachmentsCaptureKey } from './keys.ts';
import { planField } from './field-types.ts';
import { cleanMultiline, cleanText } from './text.ts';
import { skip, type PsMapContext, type PsMapOutcome } from './types.ts';

/**
 * Workflow → blueprint, whole: steps in PS order, each with its captures, built before any process is
 * launched from it (a Tallyfy template freezes at its first launch). Approval task types become
 * approval steps; what Tallyfy has no place for (stop tasks, hidden-by-default tasks, field types
 * without equivalent) is carried in a degraded form and listed in `degraded`.
 */
export function mapWorkflow(workflow: PsWorkflow, ctx: PsMapContext): PsMapOutcome<BlueprintWrite> {
  const { config } = ctx;
  const notes: string[] = [];
  const warnings: string[] = [];
  const degraded: string[] = [];
  const name = cleanText(workflow.name);
  if (name === '') warnings.push('workflow has no name');
  const tasks = [...workflow.tasks].sort((a, b) => a.position - b.position);
  if (tasks.length === 0) return skip('validation', 'workflow has no tasks: a Tallyfy blueprint needs steps to launch', warnings);

  const taskIds = new Set(tasks.map((t) => t.id));
  for (const f of workflow.fields) {
    if (!taskIds.has(f.taskId)) degraded.push(`field "${cleanText(f.label) || f.key}" belongs to no task of the workflow; left out`);
  }

  const steps: StepSpec[] = tasks.map((task, position) => {
    const title = cleanText(task.name) || `Task ${position + 1}`;
    const summaryLines: string[] = [];
    const mapped = config.taskTypes[task.taskType];
    if (!mapped) degraded.push(`task "${title}": task type ${task.taskType} has no Tallyfy equivalent; a plain task`);
    if (task.stopTask) degraded.push(`task "${title}": stop task (later tasks wait for it) — Tallyfy has no stop; a plain step`);
    if (task.hiddenByDefault) degraded.push(`task "${title}": hidden by default in Process Street (conditional logic not carried)`);

    const captures: CaptureSpec[] = [];
    for (const field of workflow.fields.filter((f) => f.taskId === task.id)) {
      const plan = planField(field, captures.length, config);
      notes.push(...plan.notes);
      degraded.push(...plan.degraded);
      if (plan.kind === 'capture') captures.push(plan.capture);
      else if (plan.kind === 'summary') summaryLines.push(plan.line);
    }
    if (workflow.hasAttachments) {
      captures.push({ source: attachmentsCaptureKey(task.id), label: config.attachmentsCaptureLabel, fieldType: 'file', required: false, position: captures.length });
    }
    return {
      source: { kind: KEY.templateTask, id: task.id }, title, summary: summaryLines.join('\n'), position,
      stepType: mapped ?? 'task', captures,
    };
  });
  if (workflow.hasAttachments) notes.push(`each step gets a "${config.attachmentsCaptureLabel}" file capture for the runs' attachments`);

  const description = cleanMultiline(workflow.description);
  return {
    status: 'ok',
    write: {
      kind: 'blueprint', source: { kind: KEY.workflow, id: workflow.id },
      title: `${name || 'Untitled workflow'} ${psMarker(workflow.id)}`, summary: description, steps,
    },
    notes, warnings, degraded, unresolved: [],
  };
}
