import { KEY, psMarker, type ProcessTaskSpec, type ProcessWrite, type PsRun, type PsRunTask, type PsTemplateField, type SourceKey } from '../contract.ts';
import { convertValue, textOf, toIsoDate } from './field-values.ts';
import { planField } from './field-types.ts';
import { personLabel, resolveUser, userKeys } from './keys.ts';
import { matchRunTasks } from './match-tasks.ts';
import { cleanText } from './text.ts';
import { skip, type PsMapContext, type PsMapOutcome } from './types.ts';

/**
 * Run → process launched from the blueprint (`checklist_id` from the id map). Run tasks are matched
 * to template tasks by order and name (`matchRunTasks`); each matched one becomes a task spec on its
 * step with owners, deadline, form values (written before completion) and completion. Values are
 * routed by their `key` to the template field, hence to the field's step and capture. What has no
 * place (extra run tasks, values of unknown or unmatched fields, cut text) goes to the process summary,
 * degraded. Tallyfy cannot backdate (reference: "No field backdates created/completed dates",
 * inferred), so start and completion dates are written into the summary and reported as degraded.
 */
export function mapRun(run: PsRun, ctx: PsMapContext): PsMapOutcome<ProcessWrite> {
  const checklist = ctx.resolve({ kind: KEY.workflow, id: run.workflowId });
  if (!checklist) return skip('not_found', `workflow ${run.workflowId} is not migrated`);
  const template = ctx.template(run.workflowId);
  if (!template) return skip('not_found', `definition of workflow ${run.workflowId} is not available to the mapping`);

  const notes: string[] = [];
  const warnings: string[] = [];
  const degraded: string[] = [];
  const unresolved: SourceKey[] = [];
  const summary: string[] = [];
  const completions: string[] = [];

  const match = matchRunTasks(run.tasks, template.tasks);
  const specs = new Map<string, ProcessTaskSpec>(); // template task id → spec
  const pending = new Set<string>(); // template tasks whose step is not migrated yet: their values wait too
  for (const { run: task, template: tt, renamed } of match.pairs) {
    const step = ctx.resolve({ kind: KEY.templateTask, id: tt.id });
    if (!step) {
      unresolved.push({ kind: KEY.templateTask, id: tt.id });
      pending.add(tt.id);
      warnings.push(`step of template task "${cleanText(tt.name)}" is not migrated (yet); run task "${cleanText(task.name)}" left out`);
      continue;
    }
    if (renamed) degraded.push(`run task "${cleanText(task.name)}" matched template task "${cleanText(tt.name)}" by position; the run's task name is lost`);
    if (task.hidden) notes.push(`run task "${cleanText(task.name)}" was hidden by conditional logic`);
    specs.set(tt.id, {
      source: { kind: KEY.runTask, id: task.id }, stepId: step.id, deadline: toIsoDate(task.dueDate), owners: owners(task, ctx, warnings, unresolved),
      taskdata: {}, complete: completion(task, ctx, degraded, completions),
    });
  }
  for (const task of match.extra) {
    degraded.push(`run task "${cleanText(task.name)}" matches no template task; it and its values are kept in the process summary`);
    summary.push(`Task "${cleanText(task.name)}" (${task.status === 'Completed' ? `completed${task.completedDate ? ` ${task.completedDate}` : ''} by ${personLabel(task.completedBy)}` : 'not completed'})`);
  }
  for (const tt of match.missing) warnings.push(`template task "${cleanText(tt.name)}" has no run task in Process Street (added after the run started?)`);

  const byKey = new Map<string, PsTemplateField>();
  for (const f of template.fields) if (!byKey.has(f.key)) byKey.set(f.key, f);
  const extraTaskIds = new Set(match.extra.map((t) => t.id));
  for (const value of run.values) {
    const field = byKey.get(value.key);
    const label = cleanText(value.label) || value.key;
    const shown = textOf(value.data, field ?? { options: [] });
    if (shown === '' && !(Array.isArray(value.data) && value.data.length > 0)) continue;
    if (field && pending.has(field.taskId)) continue;
    const spec = field ? specs.get(field.taskId) : undefined;
    if (!field || !spec) {
      const why = !field ? 'matches no field of the workflow' : extraTaskIds.has(value.taskId) ? 'belongs to a run task with no template match' : 'belongs to a step with no migrated run task';
      degraded.push(`value of "${label}" ${why}; kept in the process summary`);
      summary.push(`${label}: ${shown}`);
      continue;
    }
    const plan = planField(field, 0, ctx.config);
    if (plan.kind === 'skip') continue;
    if (plan.kind === 'summary') {
      degraded.push(`value of "${label}" (${field.fieldType}) has no capture; kept in the process summary`);
      summary.push(`${label}: ${shown}`);
      continue;
    }
    const capture = ctx.resolve({ kind: KEY.templateField, id: field.id });
    if (!capture) {
      unresolved.push({ kind: KEY.templateField, id: field.id });
      warnings.push(`capture of field "${label}" is not migrated (yet); value left out`);
      continue;
    }
    const converted = convertValue(field, plan.rule, value.data, ctx);
    notes.push(...converted.notes);
    warnings.push(...converted.warnings);
    degraded.push(...converted.degraded);
    unresolved.push(...converted.unresolved);
    if (converted.summary !== undefined) summary.push(converted.summary);
    if (converted.value !== undefined) spec.taskdata[capture.id] = converted.value;
  }

  leaveOpenWhereRequiredEmpty(template.fields, specs, ctx, degraded);

  const started = `Started in Process Street on ${run.createdDate} by ${personLabel(run.createdBy)}.`;
  degraded.push('start date and starter not preserved (Tallyfy cannot backdate); kept in the process summary');
  if (completions.length > 0) degraded.push(`${completions.length} task completion date(s) not preserved (Tallyfy cannot backdate); kept in the process summary`);
  const name = cleanText(run.name) || cleanText(template.name) || 'Untitled run';
  return {
    status: 'ok',
    write: {
      kind: 'process', source: { kind: KEY.run, id: run.id }, checklistId: checklist.id, name: `${name} ${psMarker(run.id)}`,
      summary: [started, ...completions, ...summary].join('\n'), status: ctx.config.runStatus[run.status], dueDate: toIsoDate(run.dueDate),
      tasks: [...specs.values()],
    },
    notes, warnings, degraded, unresolved: dedupe(unresolved),
  };
}

function owners(task: PsRunTask, ctx: PsMapContext, warnings: string[], unresolved: SourceKey[]): number[] {
  const ids: number[] = [];
  for (const person of task.assignees) {
    const id = resolveUser(person, ctx);
    if (id === null) {
      unresolved.push(...userKeys(person, ctx));
      warnings.push(`assignee ${person.email ?? person.id} of "${cleanText(task.name)}" is not migrated (yet); left out`);
    } else if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

function completion(task: PsRunTask, ctx: PsMapContext, degraded: string[], completions: string[]): ProcessTaskSpec['complete'] {
  if (ctx.config.taskState[task.status] === 'open') return null;
  if (task.status === 'Completed') completions.push(`"${cleanText(task.name)}" completed on ${task.completedDate ?? 'an unknown date'} by ${personLabel(task.completedBy)}.`);
  if (!task.completedBy) {
    degraded.push(`"${cleanText(task.name)}": Process Street names no completer; completed as the migration user`);
    return { by: null };
  }
  const by = resolveUser(task.completedBy, ctx);
  if (by === null) degraded.push(`"${cleanText(task.name)}": completer ${personLabel(task.completedBy)} is not migrated; completed as the migration user`);
  return { by };
}

/**
 * Tallyfy refuses to complete a task while one of its required fields is empty [DOC: completed-tasks
 * "errors if … a required field is empty"]; Process Street let such tasks be completed (fields made
 * required later, values cleared). Those tasks stay open in Tallyfy, said as degraded, instead of a
 * completion that fails the whole run.
 */
function leaveOpenWhereRequiredEmpty(fields: readonly PsTemplateField[], specs: Map<string, ProcessTaskSpec>, ctx: PsMapContext, degraded: string[]): void {
  for (const [templateTaskId, spec] of specs) {
    if (!spec.complete) continue;
    const empty = fields.filter((f) => {
      if (f.taskId !== templateTaskId || !f.required || planField(f, 0, ctx.config).kind !== 'capture') return false;
      const capture = ctx.resolve({ kind: KEY.templateField, id: f.id });
      return capture !== undefined && isEmptyValue(spec.taskdata[capture.id]);
    });
    if (empty.length === 0) continue;
    spec.complete = null;
    // One wording for every run, so the report counts the reason once.
    degraded.push('completed task with an empty required field left open (Tallyfy refuses to complete it)');
  }
}

const isEmptyValue = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

function dedupe(keys: SourceKey[]): SourceKey[] {
  return [...new Map(keys.map((k) => [`${k.kind}:${k.id}`, k])).values()];
}
