import { z } from 'zod';
import { TALLYFY_FIELD_TYPES } from '../contract.ts';
import { deepMerge, type DeepPartial } from '../../../../shared/deep-merge.ts';

/**
 * The Process Street → Tallyfy mapping as data. `DEFAULT_PS_MAPPING` is what a job gets without
 * overrides; a job's overrides are deep-merged over it (arrays replace) and validated here, so a bad
 * override fails when the job is created, not halfway through the run.
 * Facts behind the defaults: ../shared/reference tallyfy-api.md "Field types" (its proposed table).
 */

/**
 * Where a PS field type goes: a Tallyfy capture type (with `field_validation`), the step summary
 * (the field is described there: behaviour lost), or nowhere. A bare string is shorthand for `{ to }`.
 */
const FieldRule = z.union([
  z.enum([...TALLYFY_FIELD_TYPES, 'summary', 'skip']).transform((to) => ({ to, validation: [] as string[] })),
  z.object({ to: z.enum([...TALLYFY_FIELD_TYPES, 'summary', 'skip']), validation: z.array(z.string().min(1)).default([]) }),
]);
export type FieldRule = z.output<typeof FieldRule>;

const Role = z.enum(['admin', 'standard', 'light']);

export const PsMappingConfigSchema = z.object({
  version: z.literal(1),
  /** PS fieldType → rule. Types not listed use `unknownFieldType` (older clients saw Subtasks, SubChecklist). */
  fieldTypes: z.record(z.string().min(1), FieldRule),
  unknownFieldType: FieldRule,
  /** PS run status → Tallyfy process status. */
  runStatus: z.object({ Active: z.enum(['active', 'complete', 'archived']), Completed: z.enum(['active', 'complete', 'archived']), Archived: z.enum(['active', 'complete', 'archived']) }),
  /** PS run-task status → left open or completed in Tallyfy. */
  taskState: z.object({ NotCompleted: z.enum(['open', 'complete']), Completed: z.enum(['open', 'complete']) }),
  /** PS `taskType` → Tallyfy `step_type`; other types become plain tasks, degraded (PS task types are inferred). */
  taskTypes: z.record(z.string().min(1), z.enum(['task', 'approval'])),
  /** Role of invited members; `roles` overrides it per (normalised) email. */
  defaultRole: Role,
  roles: z.record(z.string().min(3), Role),
  /** Tallyfy requires a last name; PS users with a one-word username get this one. */
  missingLastName: z.string().min(1).max(50),
  /**
   * Resolve people (assignees, completers, group members, Members values) by their normalised email too
   * when their PS id is not in the id map (SCIM ids need not be the v1.1 ids).
   */
  matchUsersByEmail: z.boolean(),
  groupDescription: z.string().min(1).max(500),
  /** Prepended to every migrated comment (e.g. "[from Process Street] "). */
  commentPrefix: z.string().max(200),
  /** Tallyfy text captures hold 200 characters, textareas 30,000: longer values are cut (degraded, full text in the summary). */
  textMaxChars: z.number().int().min(1).max(200),
  textareaMaxChars: z.number().int().min(1).max(30_000),
  /** Label of the extra file capture per step when the workflow's runs have attachments. */
  attachmentsCaptureLabel: z.string().min(1).max(100),
  /** Tallyfy's upload limit (≤100 MB per file). */
  maxFileBytes: z.number().int().min(1).max(100 * 1024 * 1024),
});

export type PsMappingConfig = z.output<typeof PsMappingConfigSchema>;

/**
 * Email → text + `email` validation rather than Tallyfy's `email` type: the reference says an `email`
 * capture saves but the UI cannot show it, so its values would be invisible to the customer.
 * Number → text + `numeric` (no number type in api-v2); Url → plain text (no url type).
 */
export const DEFAULT_PS_MAPPING: PsMappingConfig = {
  version: 1,
  fieldTypes: {
    Text: { to: 'text', validation: [] },
    Textarea: { to: 'textarea', validation: [] },
    Email: { to: 'text', validation: ['email'] },
    Url: { to: 'text', validation: [] },
    Number: { to: 'text', validation: ['numeric'] },
    Date: { to: 'date', validation: [] },
    Select: { to: 'dropdown', validation: [] },
    MultiChoice: { to: 'multiselect', validation: [] },
    MultiSelect: { to: 'multiselect', validation: [] },
    Members: { to: 'assignees_form', validation: [] },
    File: { to: 'file', validation: [] },
    MultiFile: { to: 'file', validation: [] },
    Table: { to: 'table', validation: [] },
    // No Tallyfy equivalent: values of Hidden and Document fields are kept as text; Snippet and
    // SendRichEmail carry no value of their own and are described in the step summary.
    Hidden: { to: 'text', validation: [] },
    Document: { to: 'text', validation: [] },
    Snippet: { to: 'summary', validation: [] },
    SendRichEmail: { to: 'summary', validation: [] },
  },
  unknownFieldType: { to: 'text', validation: [] },
  runStatus: { Active: 'active', Completed: 'complete', Archived: 'archived' },
  taskState: { NotCompleted: 'open', Completed: 'complete' },
  taskTypes: { Standard: 'task', Approval: 'approval' },
  defaultRole: 'standard',
  roles: {},
  missingLastName: '-',
  matchUsersByEmail: true,
  groupDescription: 'Migrated from Process Street',
  commentPrefix: '',
  textMaxChars: 200,
  textareaMaxChars: 30_000,
  attachmentsCaptureLabel: 'Attachments',
  maxFileBytes: 100 * 1024 * 1024,
};

/** Types PS defines that have no Tallyfy equivalent: mapped in a degraded form whatever the rule. */
export const DEGRADED_FIELD_TYPES: ReadonlySet<string> = new Set(['Hidden', 'Snippet', 'SendRichEmail', 'Document']);

/** The rule for a PS field type, with whether it is known to PS's published enum. */
export function fieldRule(config: PsMappingConfig, fieldType: string): { rule: FieldRule; known: boolean } {
  const rule = Object.hasOwn(config.fieldTypes, fieldType) ? config.fieldTypes[fieldType] : undefined;
  return rule ? { rule, known: true } : { rule: config.unknownFieldType, known: false };
}

/** What a job may override: any part of the config (field rules also in their shorthand form). */
export type PsMappingOverrides = DeepPartial<z.input<typeof PsMappingConfigSchema>>;

/** Defaults deep-merged with a job's overrides (arrays replace), validated. Throws a ZodError. */
export function resolvePsMappingConfig(overrides: unknown = {}): PsMappingConfig {
  return PsMappingConfigSchema.parse(deepMerge(DEFAULT_PS_MAPPING, overrides));
}
