import type { PsAttachment, PsComment, PsGroup, PsRunTask, PsRunValue, PsTemplateTask, PsUser, PsUserRef } from '../contract.ts';
import type { RawAttachment, RawComment, RawRunTask, RawRunValue, RawScimGroup, RawTemplateTask, RawUser, RawUserRef } from './ps-types.ts';
import { linkHref, normaliseValueData } from './ps-values.ts';

/** A converted item, or why it cannot be (the source logs it as skipped). */
export type Converted<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Converted<T> => ({ ok: true, value });
const bad = <T>(reason: string): Converted<T> => ({ ok: false, reason });
const str = (v: unknown): v is string => typeof v === 'string' && v !== '';
const orNull = (v: unknown): string | null => (str(v) ? v : null);

export function userRefOf(raw: RawUserRef | null | undefined): PsUserRef | null {
  if (!raw || !str(raw.id)) return null;
  return { id: raw.id, email: orNull(raw.email), username: orNull(raw.username) };
}

export function userOf(raw: RawUser): Converted<PsUser> {
  if (!str(raw.id)) return bad('user without id');
  if (!str(raw.email)) return bad('user without email (Tallyfy members are matched by email)');
  return ok({ kind: 'users', id: raw.id, email: raw.email, username: orNull(raw.username) });
}

/** SCIM members carry `value` (the user id) and `display`; the email only when `display` is one. */
export function groupOf(raw: RawScimGroup): Converted<PsGroup> {
  if (!str(raw.id)) return bad('group without id');
  const members = (Array.isArray(raw.members) ? raw.members : []).flatMap((m) => (str(m?.value)
    ? [{ id: m.value, email: str(m.display) && m.display.includes('@') ? m.display : null, username: orNull(m.display) }]
    : []));
  return ok({ kind: 'groups', id: raw.id, name: str(raw.displayName) ? raw.displayName : raw.id, members });
}

export function templateTaskOf(raw: RawTemplateTask, position: number): Converted<PsTemplateTask> {
  if (!str(raw.id)) return bad('workflow task without id');
  return ok({
    id: raw.id, name: typeof raw.name === 'string' ? raw.name : '', position,
    taskType: str(raw.taskType) ? raw.taskType : 'Standard', stopTask: raw.stopTask === true, hiddenByDefault: raw.hiddenByDefault === true,
  });
}

export function runTaskOf(raw: RawRunTask, position: number, assignees: PsUserRef[]): Converted<PsRunTask> {
  if (!str(raw.id)) return bad('run task without id');
  if (raw.status !== 'NotCompleted' && raw.status !== 'Completed') return bad(`run task ${raw.id} has an unknown status`);
  return ok({
    id: raw.id, name: typeof raw.name === 'string' ? raw.name : '', position, status: raw.status,
    dueDate: orNull(raw.dueDate), completedDate: orNull(raw.completedDate), completedBy: userRefOf(raw.completedBy),
    hidden: raw.hidden === true, stopped: raw.stopped === true, assignees,
  });
}

export function runValueOf(raw: RawRunValue): Converted<PsRunValue> {
  if (!str(raw.id) || !str(raw.key)) return bad('form-field value without id or key');
  const fieldType = str(raw.fieldType) ? raw.fieldType : 'Text';
  return ok({
    id: raw.id, taskId: str(raw.taskId) ? raw.taskId : '', key: raw.key, label: typeof raw.label === 'string' ? raw.label : raw.key,
    fieldType, data: normaliseValueData(fieldType, raw.data ?? null),
  });
}

export function commentOf(raw: RawComment, runId: string): Converted<PsComment> {
  if (!str(raw.id)) return bad('comment without id');
  if (!str(raw.createdDate)) return bad(`comment ${raw.id} without createdDate`);
  return ok({
    kind: 'comments', id: raw.id, workflowRunId: str(raw.workflowRunId) ? raw.workflowRunId : runId, taskId: str(raw.taskId) ? raw.taskId : '',
    text: typeof raw.text === 'string' ? raw.text : '', createdDate: raw.createdDate, createdBy: userRefOf(raw.createdBy),
  });
}

export function attachmentOf(raw: RawAttachment, runId: string, workflowId: string): Converted<PsAttachment> {
  if (!str(raw.id)) return bad('attachment without id');
  if (!str(raw.fileName)) return bad(`attachment ${raw.id} without fileName`);
  return ok({
    kind: 'attachments', id: raw.id, workflowRunId: str(raw.workflowRunId) ? raw.workflowRunId : runId, taskId: str(raw.taskId) ? raw.taskId : '',
    workflowId: str(raw.workflowId) ? raw.workflowId : workflowId, fileName: raw.fileName,
    mimeType: str(raw.mimeType) ? raw.mimeType : 'application/octet-stream', size: typeof raw.size === 'number' && raw.size >= 0 ? raw.size : 0,
    createdDate: str(raw.createdDate) ? raw.createdDate : '', createdBy: userRefOf(raw.createdBy),
    downloadUrl: linkHref(raw.links) ?? orNull(raw.url),
  });
}
