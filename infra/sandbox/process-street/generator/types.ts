/**
 * Shapes of a generated Process Street organisation. Objects are stored in the exact wire shape of the
 * v1.1 API (so handlers page them as they are), except File-like values, whose download `url` depends on
 * the host the client called and is added when served.
 */
export type FieldType =
  | 'Text' | 'Textarea' | 'Email' | 'Url' | 'Number' | 'Date' | 'Select' | 'MultiChoice' | 'MultiSelect'
  | 'Members' | 'File' | 'MultiFile' | 'Document' | 'Table' | 'SendRichEmail' | 'Hidden' | 'Snippet';

export const FIELD_TYPES: readonly FieldType[] = [
  'Text', 'Textarea', 'Email', 'Url', 'Number', 'Date', 'Select', 'MultiChoice', 'MultiSelect',
  'Members', 'File', 'MultiFile', 'Document', 'Table', 'SendRichEmail', 'Hidden', 'Snippet',
];

export type RunStatus = 'Active' | 'Completed' | 'Archived' | 'Deleted';
export const LISTED_RUN_STATUSES = ['Active', 'Completed', 'Archived'] as const;

export interface UserRef {
  id: string;
  email: string;
  /** Absent on one generated user (the API does not promise it). */
  username?: string;
}

export interface Audit {
  createdDate: string;
  createdBy: UserRef;
  updatedDate: string;
  updatedBy: UserRef;
}

export interface ApiLink {
  name: string;
  href: string;
  rel?: string;
  type: 'Api' | 'App';
}

export interface ScimGroup {
  id: string;
  displayName: string;
  members: { value: string; display: string }[];
}

export interface Workflow {
  id: string;
  name: string;
  description?: string;
  audit: Audit;
  links: ApiLink[];
}

export interface WorkflowTask {
  id: string;
  workflowId: string;
  name: string;
  orderTree: string;
  stopTask: boolean;
  hiddenByDefault: boolean;
  taskType: 'Standard' | 'Approval';
}

export interface FormField {
  id: string;
  taskId: string;
  fieldType: FieldType;
  key: string;
  label: string;
  dataSetLinked: boolean;
  audit: Audit;
}

export interface FieldOption {
  value: string;
  label: string;
}

export interface Revision {
  id: string;
  workflowId: string;
  version: number;
  status: 'Draft' | 'Finished' | 'Revised';
}

export interface Widget {
  id: string;
  taskId: string;
  type: 'FormField' | 'Text';
  fieldType?: FieldType;
  key?: string;
  label?: string;
  required: boolean;
  hiddenByDefault: boolean;
  config: Record<string, unknown>;
}

export interface WorkflowRun {
  id: string;
  name: string;
  status: RunStatus;
  workflowId: string;
  shared: boolean;
  dueDate?: string;
  migrationStatus: 'Inactive' | 'Complete';
  audit: Audit;
  links: ApiLink[];
}

export interface RunTask {
  id: string;
  workflowRunId: string;
  name: string;
  status: 'NotCompleted' | 'Completed';
  dueDate?: string;
  completedDate?: string;
  completedBy?: UserRef;
  hidden: boolean;
  stopped: boolean;
  taskType: 'Standard' | 'Approval';
  updatedDate: string;
  updatedBy: UserRef;
}

/** A stored file (attachment or File/MultiFile/Document value): metadata plus its deterministic bytes. */
export interface StoredFile {
  id: string;
  fileName: string;
  mimeType: string;
  size: number;
  bytes: Buffer;
}

export interface FieldValue {
  id: string;
  workflowRunId: string;
  taskId: string;
  key: string;
  label: string;
  fieldType: FieldType;
  data: unknown;
  dataSetLinked: boolean;
  updatedDate?: string;
  updatedBy?: UserRef;
}

export interface Comment {
  id: string;
  workflowRunId: string;
  taskId: string;
  text: string;
  createdDate: string;
  createdBy: UserRef;
  updatedDate: string;
  updatedBy: UserRef;
}

export interface Attachment {
  id: string;
  taskId: string;
  workflowRunId: string;
  workflowId: string;
  fileName: string;
  mimeType: string;
  size: number;
  createdDate: string;
  createdBy: UserRef;
}
