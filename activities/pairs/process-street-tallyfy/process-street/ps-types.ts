/**
 * Process Street v1.1 response shapes as the reference documents them (process-street-api.md). Every
 * field is optional here: the source checks what it relies on and skips an item that lacks it.
 */

export interface PsLink { name?: string; href?: string; rel?: string; type?: string }

/** A paged listing: items under an endpoint-specific key (`users`, `tasks`, `data`…) plus `links`. */
export type PsListBody = Record<string, unknown> & { links?: PsLink[] };

export interface RawUserRef { id?: string; email?: string | null; username?: string | null }

export interface RawAudit { createdDate?: string; createdBy?: RawUserRef | null; updatedDate?: string; updatedBy?: RawUserRef | null }

export interface RawUser { id?: string; email?: string; username?: string }

/** SCIM 2.0 core Group; `members` per the core schema (inferred: the reference only says `members?`). */
export interface RawScimGroup { id?: string; displayName?: string; members?: Array<{ value?: string; display?: string }> }

export interface RawWorkflow { id?: string; name?: string; description?: string | null; audit?: RawAudit }

export interface RawTemplateTask { id?: string; workflowId?: string; name?: string; orderTree?: string; stopTask?: boolean; hiddenByDefault?: boolean; taskType?: string }

export interface RawTemplateField { id?: string; taskId?: string; fieldType?: string; key?: string; label?: string }

export interface RawOption { value?: string; label?: string }

export interface RawRevision { id?: string; workflowId?: string; version?: number; status?: string }

export interface RawWidget {
  id?: string; taskId?: string; type?: string; fieldType?: string; key?: string; label?: string;
  required?: boolean; hiddenByDefault?: boolean;
  config?: { items?: Array<{ id?: string; name?: string }>; columnDefs?: Array<{ id?: string; name?: string }> } & Record<string, unknown>;
}

export interface RawRun {
  id?: string; name?: string; status?: string; workflowId?: string; dueDate?: string | null; audit?: RawAudit;
}

export interface RawRunTask {
  id?: string; name?: string; status?: string; dueDate?: string | null; completedDate?: string | null;
  completedBy?: RawUserRef | null; hidden?: boolean; stopped?: boolean;
}

export interface RawRunValue { id?: string; taskId?: string; key?: string; label?: string; fieldType?: string; data?: unknown }

export interface RawComment { id?: string; workflowRunId?: string; taskId?: string; text?: string; createdDate?: string; createdBy?: RawUserRef | null }

export interface RawAttachment {
  id?: string; taskId?: string; workflowRunId?: string; workflowId?: string; fileName?: string; mimeType?: string; size?: number;
  createdDate?: string; createdBy?: RawUserRef | null; links?: PsLink[]; url?: string;
}
