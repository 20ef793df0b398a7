import { describe, expect, it } from 'vitest';
import { FIELD_TYPES, generateProcessStreetOrganization } from './generator/index.ts';

describe('Process Street generator', () => {
  const org = generateProcessStreetOrganization({ seed: 11 });

  it('is deterministic: same seed → same ids and data; another seed → other ids', () => {
    const again = generateProcessStreetOrganization({ seed: 11 });
    expect(again.inspect()).toEqual(org.inspect());
    expect(again.runs[100]?.values).toEqual(org.runs[100]?.values);
    expect(again.comments.slice(0, 50)).toEqual(org.comments.slice(0, 50));
    const other = generateProcessStreetOrganization({ seed: 12 });
    expect(other.inspect().ids.runs[0]).not.toBe(org.inspect().ids.runs[0]);
    expect(generateProcessStreetOrganization({ seed: 'acme' }).seed).toBe(generateProcessStreetOrganization({ seed: 'acme' }).seed);
  });

  it('meets the default-size minimums: ≥ 2,000 objects, ≥ 20 templates, ≥ 500 runs in every status, ≥ 1,000 comments, ≥ 50 files', () => {
    const c = org.counts;
    expect(c.objects).toBeGreaterThanOrEqual(2000);
    expect(c.workflows).toBeGreaterThanOrEqual(20);
    for (const status of ['Active', 'Completed', 'Archived'] as const) expect(c.runsByStatus[status]).toBeGreaterThanOrEqual(500);
    expect(c.runsByStatus.Deleted).toBeGreaterThan(0);
    expect(c.comments).toBeGreaterThanOrEqual(1000);
    expect(c.attachments).toBeGreaterThanOrEqual(50);
    expect(c.runs).toBe(c.runsByStatus.Active + c.runsByStatus.Completed + c.runsByStatus.Archived);
    expect(generateProcessStreetOrganization({ seed: 11, size: 2 }).counts.runs).toBeGreaterThan(2 * c.runs - 10);
  });

  it('ids are 22-char URL-safe Muids, unique across kinds; timestamps are ms UTC', () => {
    const ids = Object.values(org.inspect().ids).flat();
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[A-Za-z0-9_-]{22}$/.test(id))).toBe(true);
    expect(org.listedRuns.every((r) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(r.audit.createdDate))).toBe(true);
  });

  it('covers every field type, with options, subtasks, columns and required flags; stop, hidden and approval tasks', () => {
    for (const type of FIELD_TYPES) expect(org.counts.fieldTypes[type], type).toBeGreaterThan(0);
    expect(new Set(org.templates[0]?.fields.map((f) => f.field.fieldType))).toEqual(new Set(FIELD_TYPES));
    const fields = org.templates.flatMap((t) => t.fields);
    expect(fields.filter((f) => f.field.fieldType === 'Select' || f.field.fieldType === 'MultiChoice').every((f) => f.options.length >= 2)).toBe(true);
    expect(fields.filter((f) => f.field.fieldType === 'MultiSelect').every((f) => f.items.length >= 3)).toBe(true);
    expect(fields.some((f) => f.required) && fields.some((f) => !f.required)).toBe(true);
    const tasks = org.templates.flatMap((t) => t.tasks);
    expect(tasks.some((t) => t.stopTask)).toBe(true);
    expect(tasks.some((t) => t.hiddenByDefault)).toBe(true);
    expect(tasks.some((t) => t.taskType === 'Approval')).toBe(true);
    expect(org.templates.some((t) => t.revisions.some((r) => r.status === 'Draft'))).toBe(true);
  });

  it('has every value type filled and empty somewhere, and the messy cases', () => {
    const values = org.runs.flatMap((g) => g.values);
    for (const type of FIELD_TYPES) {
      const ofType = values.filter((v) => v.fieldType === type);
      expect(ofType.some((v) => v.data !== null && v.data !== ''), type).toBe(true);
      expect(ofType.some((v) => v.data === null || v.data === ''), type).toBe(true);
    }
    const strings = (type: string) => values.filter((v) => v.fieldType === type && typeof v.data === 'string').map((v) => v.data as string);
    expect(strings('Email').some((e) => e !== e.trim())).toBe(true);
    expect(strings('Textarea').some((t) => t.includes('<p>'))).toBe(true);
    expect(strings('Textarea').some((t) => t.length > 255)).toBe(true);
    expect(values.some((v) => v.fieldType === 'Number' && typeof v.data === 'string')).toBe(true);
    const userIds = new Set(org.users.map((u) => u.id));
    expect(org.runs.some((g) => g.tasks.some((t) => t.completedBy && !userIds.has(t.completedBy.id)))).toBe(true);
    expect(org.runs.some((g) => g.tasks.length < g.template.tasks.length)).toBe(true);
    expect(org.runs.some((g) => g.tasks.some((t, i) => t.name !== g.template.tasks[i]?.name))).toBe(true);
    const emails = org.users.map((u) => u.email.toLowerCase());
    expect(new Set(emails).size).toBe(emails.length - 1);
    expect(org.users.some((u) => [...u.displayName].some((ch) => ch.charCodeAt(0) > 127))).toBe(true);
    expect(org.runs.some((g) => [...g.run.name].some((ch) => ch.charCodeAt(0) > 127))).toBe(true);
  });

  it('runs have mixed task states, due dates, assignees; attachments carry their bytes', () => {
    const tasks = org.runs.flatMap((g) => g.tasks);
    expect(tasks.some((t) => t.status === 'Completed') && tasks.some((t) => t.status === 'NotCompleted')).toBe(true);
    expect(tasks.some((t) => t.dueDate)).toBe(true);
    expect(org.runs.filter((g) => g.run.status === 'Completed').every((g) => g.tasks.every((t) => t.status === 'Completed'))).toBe(true);
    expect(org.counts.taskAssignments).toBeGreaterThan(0);
    for (const a of org.attachments) expect(org.file(a.id)?.bytes.length).toBe(a.size);
  });
});
