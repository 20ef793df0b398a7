import type { ProcessStreetOrganization } from '../../infra/sandbox/process-street/index.ts';
import type { OrganizationSnapshot } from '../../infra/sandbox/tallyfy/index.ts';

/**
 * Process Street organisation (the generator's, in this process) against the Tallyfy sandbox's
 * inspection: every source object exactly once, found by what a customer could see — the member's
 * email, the `[ps:<id>]` marker in a group description, blueprint title, process name, comment text or
 * file name — and a spot check of values per field type. Written from the generator's data and the
 * documented mapping table, not from the mapper's code, so a mapper bug shows up here.
 */
export interface KindCheck { expected: number; found: number; missing: string[]; duplicates: string[] }
export interface PsTallyfyCheck {
  kinds: Record<'members' | 'groups' | 'blueprints' | 'processes' | 'comments' | 'files', KindCheck>;
  /** Field type → values compared (and how many differed, listed in `mismatches`). */
  valuesChecked: Record<string, number>;
  mismatches: string[];
  /** Uploaded assets no file capture holds (an upload whose taskdata write was lost: invisible in Tallyfy). */
  orphanFiles: number;
}

type Snap = OrganizationSnapshot;
type SnapRun = Snap['runs'][number];
type SnapTask = SnapRun['tasks'][number];
type FormField = { label: string; field_type: string; value: unknown };

const clean = (s: unknown): string => (typeof s === 'string' ? s.normalize('NFC').replace(/[\u200B-\u200D\uFEFF]/g, '').replace(/\s+/g, ' ').trim() : '');
const email = (s: string): string => clean(s).toLowerCase();
const marker = (id: string): string => `[ps:${id}]`;

/** Counts, per expected id, the target objects whose text holds its marker (or equals its key). */
function tally(expected: string[], found: string[], keyOf: (text: string) => string | undefined): KindCheck {
  const counts = new Map<string, number>(expected.map((id) => [id, 0]));
  for (const text of found) {
    const key = keyOf(text);
    if (key !== undefined && counts.has(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const list = [...counts.entries()];
  return {
    expected: expected.length, found: list.filter(([, n]) => n > 0).length,
    missing: list.filter(([, n]) => n === 0).map(([id]) => id), duplicates: list.filter(([, n]) => n > 1).map(([id]) => id),
  };
}

const markerOf = (text: string): string | undefined => /\[ps:([A-Za-z0-9_-]+)\]/.exec(text)?.[1];

export function checkPsTallyfy(ps: ProcessStreetOrganization, tf: Snap): PsTallyfyCheck {
  const mismatches: string[] = [];
  const valuesChecked: Record<string, number> = {};
  const memberByEmail = new Map(tf.members.map((m) => [m.email.toLowerCase(), m]));
  const emails = [...new Set(ps.users.map((u) => email(u.email)))];

  const members = tally(emails, tf.members.map((m) => m.email.toLowerCase()), (e) => e);
  const groups = tally(ps.groups.map((g) => g.id), tf.groups.map((g) => g.description), markerOf);
  for (const g of ps.groups) {
    const target = tf.groups.find((x) => x.description.includes(marker(g.id)));
    if (!target) continue;
    if (target.name !== clean(g.displayName)) mismatches.push(`group ${g.id}: name ${JSON.stringify(target.name)}`);
    const want = [...new Set(g.members.map((m) => memberByEmail.get(email(m.display))?.id).filter((id) => id !== undefined))].sort();
    if (JSON.stringify([...target.members].sort()) !== JSON.stringify(want)) mismatches.push(`group ${g.id}: members ${JSON.stringify(target.members)} ≠ ${JSON.stringify(want)}`);
  }

  const blueprints = tally(ps.templates.map((t) => t.workflow.id), tf.checklists.map((c) => c.title), markerOf);
  const checklistOf = new Map(tf.checklists.map((c) => [markerOf(c.title) ?? '', c]));
  for (const t of ps.templates) {
    const c = checklistOf.get(t.workflow.id);
    if (!c) continue;
    const steps = c.steps?.data ?? [];
    const titles = steps.map((s) => s.title);
    const want = [...t.tasks].sort((a, b) => Number(a.orderTree) - Number(b.orderTree)).map((task) => clean(task.name));
    if (JSON.stringify(titles) !== JSON.stringify(want)) mismatches.push(`blueprint ${t.workflow.id}: steps ${JSON.stringify(titles)} ≠ ${JSON.stringify(want)}`);
    const withFiles = ps.attachments.some((a) => a.workflowId === t.workflow.id);
    const ordered = [...t.tasks].sort((a, b) => Number(a.orderTree) - Number(b.orderTree));
    ordered.forEach((task, i) => {
      const got = (steps[i]?.captures ?? []).map((c) => `${c.label}:${c.field_type}`);
      const expected = t.fields.filter((f) => f.field.taskId === task.id && CAPTURE_TYPE[f.field.fieldType] !== undefined)
        .map((f) => `${clean(f.field.label) || clean(f.field.key)}:${CAPTURE_TYPE[f.field.fieldType]}`);
      if (withFiles) expected.push('Attachments:file');
      if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push(`blueprint ${t.workflow.id} step ${i}: captures ${JSON.stringify(got)} ≠ ${JSON.stringify(expected)}`);
    });
  }

  const processes = tally(ps.listedRuns.map((r) => r.id), tf.runs.map((r) => r.name), markerOf);
  const runOf = new Map(tf.runs.map((r) => [markerOf(r.name) ?? '', r]));
  const statusOf = { Active: 'active', Completed: 'complete', Archived: 'archived' } as const;
  for (const r of ps.listedRuns) {
    const run = runOf.get(r.id);
    if (!run) continue;
    if (r.status !== 'Deleted' && run.status !== statusOf[r.status] && !(r.status === 'Active' && run.status === 'complete')) {
      mismatches.push(`process ${r.id}: status ${run.status} for ${r.status}`);
    }
    checkRunValues(ps, r.id, run, memberByEmail, valuesChecked, mismatches);
    checkRunTasks(ps, r.id, run, checklistOf, memberByEmail, valuesChecked, mismatches);
  }

  const threads = tf.runs.flatMap((r) => r.tasks.flatMap((t) => (t.threads?.data ?? []).map((c) => ({ run: r, task: t, content: c.content }))));
  const comments = tally(ps.comments.map((c) => c.id), threads.map((c) => c.content), markerOf);
  for (const c of ps.comments) {
    const hit = threads.find((x) => x.content.includes(marker(c.id)));
    if (hit && markerOf(hit.run.name) !== c.workflowRunId) mismatches.push(`comment ${c.id}: on process ${hit.run.name}, not run ${c.workflowRunId}`);
    const text = c.text.trim().split('\n')[0]?.trim() ?? '';
    if (hit && text && !hit.content.includes(text)) mismatches.push(`comment ${c.id}: text ${JSON.stringify(hit.content.slice(0, 80))}`);
  }

  // A file is migrated when a file capture of its run holds it (Tallyfy attaches files only that way).
  const attached = tf.runs.flatMap((r) => r.tasks.flatMap((t) => fields(t).filter((f) => f.field_type === 'file')
    .flatMap((f) => (Array.isArray(f.value) ? (f.value as Array<{ filename: string }>) : []).map((a) => ({ run: r, name: a.filename })))));
  const files = tally(ps.attachments.map((a) => a.id), attached.map((a) => a.name), markerOf);
  for (const a of ps.attachments) {
    const hit = attached.find((x) => x.name.includes(marker(a.id)));
    if (hit && markerOf(hit.run.name) !== a.workflowRunId) mismatches.push(`file ${a.id}: in process ${hit.run.name}, not run ${a.workflowRunId}`);
  }
  const attachedNames = new Set(attached.map((a) => a.name));
  const orphanFiles = tf.files.filter((f) => !attachedNames.has(f.filename)).length;

  return { kinds: { members, groups, blueprints, processes, comments, files }, valuesChecked, mismatches, orphanFiles };
}

/** The documented field-type table (DEFAULT mapping): Snippet and SendRichEmail have no capture (step summary). */
const CAPTURE_TYPE: Record<string, string> = {
  Text: 'text', Textarea: 'textarea', Email: 'text', Url: 'text', Number: 'text', Date: 'date', Select: 'dropdown', MultiChoice: 'multiselect',
  MultiSelect: 'multiselect', Members: 'assignees_form', File: 'file', MultiFile: 'file', Table: 'table', Hidden: 'text', Document: 'text',
};

/**
 * One task per blueprint step; where the run's tasks line up with the template's (same count and
 * names), each completed PS task is completed in Tallyfy, by its completer when that person is a member.
 */
function checkRunTasks(ps: ProcessStreetOrganization, runId: string, run: SnapRun, checklistOf: Map<string, Snap['checklists'][number]>, memberByEmail: Map<string, { id: number }>, checked: Record<string, number>, mismatches: string[]): void {
  const g = ps.run(runId);
  const steps = checklistOf.get(g?.template.workflow.id ?? '')?.steps?.data ?? [];
  if (!g) return;
  if (run.tasks.length !== steps.length) mismatches.push(`process ${runId}: ${run.tasks.length} tasks for ${steps.length} steps`);
  const ordered = [...g.template.tasks].sort((a, b) => Number(a.orderTree) - Number(b.orderTree));
  if (g.tasks.length !== ordered.length || g.tasks.some((t, i) => clean(t.name) !== clean(ordered[i]?.name))) return;
  const tasks = [...run.tasks].sort((a, b) => a.position - b.position);
  g.tasks.forEach((t, i) => {
    const task = tasks[i];
    if (!task || t.status !== 'Completed') return;
    checked.completion = (checked.completion ?? 0) + 1;
    if (task.status !== 'completed') mismatches.push(`process ${runId} task ${i}: ${task.status}, completed in Process Street`);
    const by = t.completedBy ? memberByEmail.get(email(t.completedBy.email))?.id : undefined;
    // A task reopened to attach a file is completed again by the migration user (documented degraded).
    const reopened = ps.attachments.some((a) => a.taskId === t.id);
    if (by !== undefined && !reopened && task.completer_id !== by) mismatches.push(`process ${runId} task ${i}: completer ${task.completer_id} ≠ ${by}`);
  });
}

function fields(task: SnapTask): FormField[] {
  return ((task as { form_fields?: { data: FormField[] } }).form_fields?.data ?? []);
}

/**
 * Values of one run, for the field types whose Tallyfy value has a documented shape: the value is
 * looked up in the task of the field's step (step i = template task i), capture by label.
 */
function checkRunValues(ps: ProcessStreetOrganization, runId: string, run: SnapRun, memberByEmail: Map<string, { id: number }>, checked: Record<string, number>, mismatches: string[]): void {
  const g = ps.run(runId);
  if (!g) return;
  const ordered = [...g.template.tasks].sort((a, b) => Number(a.orderTree) - Number(b.orderTree));
  const tasks = [...run.tasks].sort((a, b) => a.position - b.position);
  for (const v of g.values) {
    const spec = g.template.fields.find((f) => f.field.key === v.key);
    if (!spec) continue;
    const task = tasks[ordered.findIndex((t) => t.id === spec.field.taskId)];
    const label = clean(spec.field.label) || clean(spec.field.key);
    const shown = task ? fields(task).find((f) => f.label === label)?.value : undefined;
    if ((v.fieldType === 'File' || v.fieldType === 'MultiFile') && v.data) {
      // Not re-uploaded (documented degraded): named in the process summary.
      const names = (Array.isArray(v.data) ? v.data : [v.data]).map((f) => clean((f as { name?: string }).name));
      checked[v.fieldType] = (checked[v.fieldType] ?? 0) + 1;
      for (const n of names) if (!clean(run.summary).includes(n)) mismatches.push(`run ${runId} ${v.fieldType} "${label}": ${n} not in the summary`);
      continue;
    }
    const want = expectedValue(v.fieldType, v.data, spec.options, memberByEmail);
    if (want === undefined) continue;
    checked[v.fieldType] = (checked[v.fieldType] ?? 0) + 1;
    if (JSON.stringify(normalise(v.fieldType, shown)) !== JSON.stringify(want)) {
      mismatches.push(`run ${runId} ${v.fieldType} "${label}": ${JSON.stringify(shown)} ≠ ${JSON.stringify(want)}`);
    }
  }
}

/** The value Tallyfy should show for a PS value, compared in a normalised form; undefined = not spot-checked. */
function expectedValue(type: string, data: unknown, options: Array<{ value: string; label: string }>, memberByEmail: Map<string, { id: number }>): unknown {
  const empty = data === null || data === undefined || data === '' || (Array.isArray(data) && data.length === 0);
  if (empty) return undefined;
  const label = (value: unknown): string | undefined => options.find((o) => o.value === value)?.label;
  switch (type) {
    case 'Text': {
      const s = clean(data);
      return s.length > 0 && s.length <= 200 ? s : undefined;
    }
    case 'Email':
      // Normalised as member emails are (trimmed, lower case: emails compare case-insensitively).
      return typeof data === 'string' && /^\S+@\S+$/.test(data.trim()) ? email(data) : undefined;
    case 'Date':
      return typeof data === 'string' ? Date.parse(data) : undefined;
    case 'Select':
      return label(data) === undefined ? undefined : clean(label(data));
    case 'MultiChoice':
      return Array.isArray(data) ? data.map((d) => clean(label(d))).sort() : undefined;
    case 'Members':
      return Array.isArray(data) ? [...new Set(data.map((m) => memberByEmail.get(email((m as { email: string }).email))?.id).filter((id) => id !== undefined))].sort() : undefined;
    default:
      return undefined;
  }
}

function normalise(type: string, shown: unknown): unknown {
  switch (type) {
    case 'Date':
      return typeof shown === 'string' ? Date.parse(shown) : shown;
    case 'Select':
      return (shown as { text?: string } | null)?.text ?? shown;
    case 'MultiChoice':
      return Array.isArray(shown) ? shown.map((o) => (o as { text: string }).text).sort() : shown;
    case 'Members':
      return Array.isArray((shown as { users?: unknown })?.users) ? [...(shown as { users: number[] }).users].sort() : shown;
    default:
      return shown;
  }
}
