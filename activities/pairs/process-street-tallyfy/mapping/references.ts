import { KEY, type PsRecord, type SourceKey } from '../contract.ts';
import { listOf, personOf } from './field-values.ts';
import { fieldRule } from './mapping-config.ts';
import { attachmentsCaptureKey, userKeys } from './keys.ts';
import type { PsMapContext } from './types.ts';

type RefContext = Pick<PsMapContext, 'config' | 'template'>;

/**
 * What a record needs resolved, as groups of alternatives: a group is resolved when any of its keys
 * is (a person by PS id or by email). Runs and attachments need their workflow's definition
 * (`ctx.template`) to know the template tasks and fields they may resolve.
 */
export function referenceGroups(record: PsRecord, ctx: RefContext): SourceKey[][] {
  const one = (kind: string, id: string): SourceKey[] => [{ kind, id }];
  switch (record.kind) {
    case 'users':
    case 'workflows':
      return [];
    case 'groups':
      return record.members.map((m) => userKeys(m, ctx));
    case 'runs': {
      const groups = [one(KEY.workflow, record.workflowId)];
      const template = ctx.template(record.workflowId);
      for (const t of template?.tasks ?? []) groups.push(one(KEY.templateTask, t.id));
      for (const f of template?.fields ?? []) groups.push(one(KEY.templateField, f.id));
      for (const task of record.tasks) {
        for (const a of task.assignees) groups.push(userKeys(a, ctx));
        if (task.completedBy) groups.push(userKeys(task.completedBy, ctx));
      }
      for (const value of record.values) {
        const field = template?.fields.find((f) => f.key === value.key);
        if (!field || fieldRule(ctx.config, field.fieldType).rule.to !== 'assignees_form') continue;
        for (const item of listOf(value.data)) {
          const person = personOf(item);
          if (person) groups.push(userKeys(person, ctx));
        }
      }
      return groups;
    }
    case 'comments':
      return [one(KEY.run, record.workflowRunId), one(KEY.runTask, record.taskId)];
    case 'attachments': {
      const groups = [one(KEY.run, record.workflowRunId), one(KEY.workflow, record.workflowId), one(KEY.runTask, record.taskId)];
      // Which template task the run task became is only known through its step: every step and its capture.
      for (const t of ctx.template(record.workflowId)?.tasks ?? []) groups.push(one(KEY.templateTask, t.id), [attachmentsCaptureKey(t.id)]);
      return groups;
    }
  }
}

/** Every key the mappers may resolve for these records, deduplicated: one id-map round trip per page. */
export function referencedKeys(records: readonly PsRecord[], ctx: RefContext): SourceKey[] {
  const keys = new Map<string, SourceKey>();
  for (const record of records) for (const group of referenceGroups(record, ctx)) for (const key of group) keys.set(`${key.kind}:${key.id}`, key);
  return [...keys.values()];
}

/** Workflow ids whose definitions the runtime must hand `ctx.template` before mapping these records. */
export function templatesNeeded(records: readonly PsRecord[]): string[] {
  const ids = new Set<string>();
  for (const r of records) if (r.kind === 'runs' || r.kind === 'attachments') ids.add(r.workflowId);
  return [...ids];
}

/**
 * References of a record that do not resolve with what is migrated so far (a person counts once,
 * whether known by id or email). For attachments, only the template task of the run task's step
 * matters, so steps and captures are not counted one by one.
 */
export function unresolvedNow(record: PsRecord, ctx: PsMapContext): number {
  const groups = record.kind === 'attachments' ? referenceGroups(record, ctx).slice(0, 3) : referenceGroups(record, ctx);
  return groups.filter((g) => g.every((key) => ctx.resolve(key) === undefined)).length;
}
