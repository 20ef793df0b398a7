import { hashString } from '../../core/prng.ts';
import { buildCollaboration } from './collab.ts';
import { buildRuns, type GeneratedRun } from './runs.ts';
import type { Attachment, Comment, FieldType, ScimGroup, StoredFile, UserRef, WorkflowRun } from './types.ts';
import { FIELD_TYPES, LISTED_RUN_STATUSES } from './types.ts';
import { buildPeople, refOf, type GeneratedUser } from './users.ts';
import { buildTemplates, type Template } from './workflows.ts';

export type { GeneratedRun } from './runs.ts';
export type { Template, FieldSpec } from './workflows.ts';
export type { GeneratedUser } from './users.ts';
export * from './types.ts';

export interface GenerateOrganizationOptions {
  /** Same seed and size → the same organisation, ids included. Digit-only strings count as numbers; others are hashed. */
  seed: number | string;
  /** Scale (default 1): ≥ 20 templates, 520 runs per listed status, 1,100 comments, 60 attachments at 1. */
  size?: number;
}

export interface OrganizationCounts {
  users: number;
  groups: number;
  workflows: number;
  workflowTasks: number;
  formFields: number;
  options: number;
  revisions: number;
  /** Runs the listings show (not deleted), and per status including Deleted. */
  runs: number;
  runsByStatus: Record<'Active' | 'Completed' | 'Archived' | 'Deleted', number>;
  /** Tasks, assignments and values of listed runs. */
  runTasks: number;
  taskAssignments: number;
  formFieldValues: number;
  comments: number;
  attachments: number;
  files: number;
  fieldTypes: Record<FieldType, number>;
  /** Users + groups + workflows + their tasks and fields + listed runs + comments + attachments. */
  objects: number;
}

/** Every id of a kind, for "each source object exactly once in the target" checks. */
export interface OrganizationInspection {
  seed: number;
  size: number;
  counts: OrganizationCounts;
  ids: Record<'users' | 'groups' | 'workflows' | 'workflowTasks' | 'formFields' | 'runs' | 'deletedRuns' | 'runTasks' | 'comments' | 'attachments', string[]>;
}

/**
 * A generated Process Street organisation, materialised at start (a few thousand objects and ~1 MB of
 * files at the default size: unlike the Affinity account it never needs to reach a million records).
 */
export interface ProcessStreetOrganization {
  readonly seed: number;
  readonly size: number;
  readonly counts: OrganizationCounts;
  readonly users: readonly GeneratedUser[];
  /** Named as creator or completer of some objects, absent from /users. */
  readonly formerUser: UserRef;
  readonly groups: readonly ScimGroup[];
  readonly templates: readonly Template[];
  /** All runs, deleted ones included, oldest first. */
  readonly runs: readonly GeneratedRun[];
  /** Listed (not deleted) runs, newest first: the order of /workflow-runs/list. */
  readonly listedRuns: readonly WorkflowRun[];
  readonly comments: readonly Comment[];
  readonly attachments: readonly Attachment[];
  template(workflowId: string): Template | undefined;
  run(runId: string): GeneratedRun | undefined;
  file(fileId: string): StoredFile | undefined;
  inspect(): OrganizationInspection;
}

export function parseSeed(seed: number | string): number {
  return typeof seed === 'number' ? seed >>> 0 : /^\d+$/.test(seed) ? Number(seed) >>> 0 : hashString(seed);
}

export function generateProcessStreetOrganization(options: GenerateOrganizationOptions): ProcessStreetOrganization {
  const seed = parseSeed(options.seed);
  const size = options.size ?? 1;
  const scaled = (base: number, min: number) => Math.max(min, Math.ceil(base * size));
  const people = buildPeople(seed, scaled(40, 12), scaled(6, 3));
  const members = people.users.map(refOf);
  const templates = buildTemplates(seed, scaled(22, 20), (rng) => (rng.chance(0.05) ? people.formerUser : rng.pick(members)));
  const files = new Map<string, StoredFile>();
  const runs = buildRuns(seed, templates, people, { perStatus: scaled(520, 5), deleted: scaled(25, 2) }, files);
  const { comments, attachments } = buildCollaboration(seed, runs, members, people.formerUser, { comments: scaled(1100, 20), attachments: scaled(60, 5) }, files);

  const listed = runs.filter((g) => g.run.status !== 'Deleted');
  const listedRuns = listed.map((g) => g.run).reverse();
  const templateById = new Map(templates.map((t) => [t.workflow.id, t]));
  const runById = new Map(runs.map((g) => [g.run.id, g]));
  const counts = countOf({ people, templates, runs, listed, comments, attachments, files });
  const ids = (list: readonly { id: string }[]) => list.map((x) => x.id);

  return {
    seed, size, counts,
    users: people.users, formerUser: people.formerUser, groups: people.groups,
    templates, runs, listedRuns, comments, attachments,
    template: (id) => templateById.get(id),
    run: (id) => runById.get(id),
    file: (id) => files.get(id),
    inspect: () => ({
      seed, size, counts,
      ids: {
        users: ids(people.users), groups: ids(people.groups), workflows: templates.map((t) => t.workflow.id),
        workflowTasks: templates.flatMap((t) => ids(t.tasks)), formFields: templates.flatMap((t) => t.fields.map((f) => f.field.id)),
        runs: ids(listedRuns), deletedRuns: runs.filter((g) => g.run.status === 'Deleted').map((g) => g.run.id),
        runTasks: listed.flatMap((g) => ids(g.tasks)), comments: ids(comments), attachments: ids(attachments),
      },
    }),
  };
}

function countOf(all: { people: ReturnType<typeof buildPeople>; templates: Template[]; runs: GeneratedRun[]; listed: GeneratedRun[]; comments: Comment[]; attachments: Attachment[]; files: Map<string, StoredFile> }): OrganizationCounts {
  const { people, templates, runs, listed, comments, attachments, files } = all;
  const sum = <T>(list: readonly T[], f: (x: T) => number) => list.reduce((n, x) => n + f(x), 0);
  const runsByStatus = { Active: 0, Completed: 0, Archived: 0, Deleted: 0 };
  for (const g of runs) runsByStatus[g.run.status] += 1;
  const fieldTypes = Object.fromEntries(FIELD_TYPES.map((t) => [t, 0])) as Record<FieldType, number>;
  for (const t of templates) for (const f of t.fields) fieldTypes[f.field.fieldType] += 1;
  const c = {
    users: people.users.length,
    groups: people.groups.length,
    workflows: templates.length,
    workflowTasks: sum(templates, (t) => t.tasks.length),
    formFields: sum(templates, (t) => t.fields.length),
    options: sum(templates, (t) => sum(t.fields, (f) => f.options.length)),
    revisions: sum(templates, (t) => t.revisions.length),
    runs: listed.length,
    runsByStatus,
    runTasks: sum(listed, (g) => g.tasks.length),
    taskAssignments: sum(listed, (g) => sum([...g.assignees.values()], (a) => a.length)),
    formFieldValues: sum(listed, (g) => g.values.length),
    comments: comments.length,
    attachments: attachments.length,
    files: files.size,
    fieldTypes,
  };
  return { ...c, objects: c.users + c.groups + c.workflows + c.workflowTasks + c.formFields + c.runs + c.comments + c.attachments };
}

export { LISTED_RUN_STATUSES };
