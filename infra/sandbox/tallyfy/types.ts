/** The organisation's state as the sandbox keeps it (times in ms on the sandbox clock; rendered ISO Zulu). */
export const FIELD_TYPES = ['text', 'textarea', 'radio', 'dropdown', 'multiselect', 'date', 'email', 'file', 'table', 'assignees_form'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export const ROLES = ['admin', 'standard', 'light'] as const;
export const CHECKLIST_TYPES = ['procedure', 'form', 'document'] as const;
export const STEP_TYPES = ['task', 'approval', 'expiring', 'email', 'expiring_email'] as const;

export interface User {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  role: string;
  /** `active` for members created directly, `invited` after /users/invite. */
  status: 'active' | 'invited';
  created_at: number;
}

export interface Group {
  id: string;
  name: string;
  description: string;
  members: number[];
  guests: string[];
  created_at: number;
}

export interface Option { id: number; text: string }
export interface Column { id: number; label: string }

export interface Capture {
  id: string;
  checklist_id: string;
  /** null for a kick-off (prerun) field. */
  step_id: string | null;
  alias: string;
  label: string;
  field_type: FieldType;
  required: boolean;
  options: Option[];
  columns: Column[];
  position: number;
  field_validation: string[];
}

export interface Step {
  id: string;
  checklist_id: string;
  title: string;
  summary: string;
  position: number;
  step_type: string;
  assignees: number[];
  guests: string[];
  groups: string[];
  captures: Capture[];
}

export interface Checklist {
  id: string;
  title: string;
  summary: string;
  type: string;
  status: string;
  owner_id: number;
  prerun: Capture[];
  steps: Step[];
  created_at: number;
  /** Runs launched from it: one or more freezes its steps and captures. */
  runs: number;
}

export interface Owners { users: number[]; guests: string[]; groups: string[] }

export interface Comment {
  id: string;
  task_id: string;
  run_id: string;
  content: string;
  label: string;
  state: string;
  author_id: number;
  created_at: number;
}

export interface Task {
  id: string;
  run_id: string;
  step_id: string;
  title: string;
  status: 'not-started' | 'active' | 'completed' | 'auto-skipped';
  position: number;
  owners: Owners;
  deadline: number | null;
  completed_at: number | null;
  completed_by: number | null;
  is_approved: boolean | null;
  /** capture id → stored value (as accepted; rendering may differ, e.g. unselected multiselect options). */
  values: Map<string, unknown>;
  threads: Comment[];
}

export interface Run {
  id: string;
  checklist_id: string;
  name: string;
  summary: string;
  status: 'active' | 'complete' | 'archived';
  owner_id: number;
  prerun: Map<string, unknown>;
  tasks: Task[];
  created_at: number;
  completed_at: number | null;
  due_date: number | null;
}

export interface Asset {
  id: string;
  filename: string;
  content_type: string;
  version: number;
  bytes: Buffer;
  subject: { type: string; id: string };
  uploaded_from: string | null;
  step_id: string | null;
  checklist_id: string | null;
  uploaded_by: number;
  created_at: number;
}
