/**
 * The contract between the Process Street source, the mapping and the Tallyfy target of this pair.
 * Source records are what the source stages in S3 (plain JSON, one per object the user sees); write
 * intents are what the pure mapping hands the target. Facts come from ../shared/reference's
 * process-street-api.md and tallyfy-api.md; where those say "inferred", the code that relies on it says so.
 */
import type { SourceKey, TargetRef } from '../../connectors/id-map/id-map.ts';

export type { SourceKey, TargetRef };

/** Object kinds in dependency order; phases group them (foundation → templates → active → collaborative). */
export const PS_OBJECTS = ['users', 'groups', 'workflows', 'runs', 'comments', 'attachments'] as const;
export type PsObject = (typeof PS_OBJECTS)[number];

export const PS_PHASES = [
  { name: 'foundation', objects: ['users', 'groups'] },
  { name: 'templates', objects: ['workflows'] },
  { name: 'active', objects: ['runs'] },
  { name: 'collaborative', objects: ['comments', 'attachments'] },
] as const satisfies ReadonlyArray<{ name: string; objects: readonly PsObject[] }>;

/** Id-map kinds (SourceKey.kind), singular; sub-entities are mapped as they are created. */
export const KEY = {
  user: 'ps_user', group: 'ps_group', workflow: 'ps_workflow', templateTask: 'ps_template_task', templateField: 'ps_template_field',
  run: 'ps_run', runTask: 'ps_run_task', comment: 'ps_comment', attachment: 'ps_attachment',
} as const;

export const PS_FIELD_TYPES = [
  'Text', 'Textarea', 'Email', 'Url', 'Number', 'Date', 'Select', 'MultiChoice', 'MultiSelect', 'Members', 'File', 'MultiFile',
  'Document', 'Table', 'SendRichEmail', 'Hidden', 'Snippet',
] as const;
/** Unknown types (older clients saw Subtasks, SubChecklist) pass through as strings and map to a degraded text field. */
export type PsFieldType = (typeof PS_FIELD_TYPES)[number] | (string & {});

export interface PsUserRef { id: string; email: string | null; username: string | null }

// ---------------------------------------------------------------- source records

export interface PsUser { kind: 'users'; id: string; email: string; username: string | null }

/** A SCIM group (only when the key has SCIM); members by PS user id, with the email SCIM gives when it does. */
export interface PsGroup { kind: 'groups'; id: string; name: string; members: PsUserRef[] }

export interface PsTemplateTask {
  id: string; name: string;
  /** 0-based order in the workflow (the listing's order). */
  position: number;
  taskType: string; stopTask: boolean; hiddenByDefault: boolean;
}

export interface PsTemplateField {
  id: string; taskId: string; key: string; label: string; fieldType: PsFieldType;
  /** From the published (Finished) revision's widget; false when no revision says otherwise. */
  required: boolean;
  hiddenByDefault: boolean;
  /** Select / MultiChoice options (value = key, label = text), MultiSelect subtask items as options too. */
  options: Array<{ value: string; label: string }>;
  /** Table column definitions. */
  columns: Array<{ id: string; name: string }>;
  /** The widget's remaining config (timeOption, unit, defaultValue…), kept for degraded descriptions. */
  config: Record<string, unknown>;
}

/** A workflow (template) with everything needed to build its blueprint before the first launch. */
export interface PsWorkflow {
  kind: 'workflows'; id: string; name: string; description: string | null;
  createdDate: string; createdBy: PsUserRef | null;
  tasks: PsTemplateTask[];
  fields: PsTemplateField[];
  /** Whether any run of it has attachments (blueprints then get a file capture per step for them). */
  hasAttachments: boolean;
}

export interface PsRunTask {
  id: string; name: string;
  /** 0-based order in the run's task listing; matched to template tasks by order and name (no template-task id exists). */
  position: number;
  status: 'NotCompleted' | 'Completed';
  dueDate: string | null; completedDate: string | null; completedBy: PsUserRef | null;
  hidden: boolean; stopped: boolean;
  assignees: PsUserRef[];
}

/** One form-field value of a run; `key` matches the template field's key, `data` is in PS's read shape. */
export interface PsRunValue { id: string; taskId: string; key: string; label: string; fieldType: PsFieldType; data: unknown }

export interface PsRun {
  kind: 'runs'; id: string; name: string; status: 'Active' | 'Completed' | 'Archived'; workflowId: string;
  dueDate: string | null; createdDate: string; createdBy: PsUserRef | null;
  tasks: PsRunTask[];
  values: PsRunValue[];
}

export interface PsComment {
  kind: 'comments'; id: string; workflowRunId: string; taskId: string; text: string;
  createdDate: string; createdBy: PsUserRef | null;
}

export interface PsAttachment {
  kind: 'attachments'; id: string; workflowRunId: string; taskId: string; workflowId: string;
  fileName: string; mimeType: string; size: number; createdDate: string; createdBy: PsUserRef | null;
  /** The `links` href the bytes are behind (inferred: the reference documents no download URL). */
  downloadUrl: string | null;
}

export type PsRecord = PsUser | PsGroup | PsWorkflow | PsRun | PsComment | PsAttachment;

// ---------------------------------------------------------------- Tallyfy write intents

export const TALLYFY_FIELD_TYPES = ['text', 'textarea', 'radio', 'dropdown', 'multiselect', 'date', 'email', 'file', 'table', 'assignees_form'] as const;
export type TallyfyFieldType = (typeof TALLYFY_FIELD_TYPES)[number];

export interface MemberWrite { kind: 'member'; source: SourceKey; email: string; firstName: string; lastName: string; role: 'admin' | 'standard' | 'light' }

export interface GroupWrite { kind: 'group'; source: SourceKey; name: string; description: string; memberIds: number[] }

export interface CaptureSpec {
  source: SourceKey; label: string; fieldType: TallyfyFieldType; required: boolean; position: number;
  options?: Array<{ id: number; text: string }>;
  columns?: Array<{ id: number; label: string }>;
  validation?: string[];
}

export interface StepSpec {
  source: SourceKey; title: string; summary: string; position: number; stepType: 'task' | 'approval';
  captures: CaptureSpec[];
}

/**
 * A whole blueprint: built before any process is launched from it (a template freezes at its first launch).
 * The title carries the source marker, so a blueprint created before a crash is found again by `q`.
 */
export interface BlueprintWrite { kind: 'blueprint'; source: SourceKey; title: string; summary: string; steps: StepSpec[] }

export interface ProcessTaskSpec {
  source: SourceKey;
  /** The blueprint step this run task came from (resolved through the id map). */
  stepId: string;
  deadline: string | null;
  owners: number[];
  /** capture id → value in Tallyfy's write shape; written before completion. */
  taskdata: Record<string, unknown>;
  /** null = leave open; else complete it (override_user when the completer was migrated). */
  complete: { by: number | null } | null;
}

/** A process launched from its blueprint; the name carries the source marker (found again by `q` after a crash). */
export interface ProcessWrite {
  kind: 'process'; source: SourceKey; checklistId: string; name: string; summary: string;
  status: 'active' | 'complete' | 'archived'; dueDate: string | null;
  tasks: ProcessTaskSpec[];
}

/** The content ends with the source marker, so a comment posted before a crash is found in the task's threads. */
export interface CommentWrite { kind: 'comment'; source: SourceKey; runId: string; stepId: string; content: string }

export interface FileWrite {
  kind: 'file'; source: SourceKey; runId: string; stepId: string; checklistId: string; captureId: string;
  fileName: string; mimeType: string; size: number;
  /** Where the source serves the bytes; the runtime downloads them with the source's credentials. */
  downloadUrl: string | null;
}

export type TallyfyWrite = MemberWrite | GroupWrite | BlueprintWrite | ProcessWrite | CommentWrite | FileWrite;

/** What the target did; `degraded` lists what could not be carried faithfully (counted in the report). */
export interface TallyfyWriteResult { target: TargetRef; action: 'created' | 'updated' | 'unchanged'; warnings: string[]; degraded: string[] }

/** The marker every created object's name/title/content ends with: `[ps:<id>]`. */
export function psMarker(id: string): string {
  return `[ps:${id}]`;
}
