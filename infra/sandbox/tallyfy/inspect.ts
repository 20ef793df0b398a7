import type { Organization } from './organization.ts';
import { renderAsset, renderChecklist, renderGroup, renderRun, renderTask, renderUser } from './render.ts';

/**
 * The whole organisation as the sandbox holds it, for verification (not part of Tallyfy's API): members
 * with groups, templates with steps and fields, runs with tasks, their values as read AND as stored
 * (`storedValues`: e.g. multiselect entries sent without `selected: true`), comments, files, write counts.
 */
export function inspectOrganization(org: Organization) {
  const all = new Set(['form_fields', 'threads']);
  return {
    organization: { id: org.id },
    members: [...org.users.values()].map((u) => renderUser(org, u, true)),
    groups: [...org.groups.values()].map(renderGroup),
    checklists: [...org.checklists.values()].map((c) => ({ ...renderChecklist(c, { item: true, steps: true }), runs_launched: c.runs, frozen: c.runs > 0 })),
    runs: [...org.runs.values()].map((run) => ({
      ...renderRun(org, run),
      storedPrerun: Object.fromEntries(run.prerun),
      tasks: run.tasks.map((task) => ({ ...renderTask(org, task, all), storedValues: Object.fromEntries(task.values) })),
    })),
    files: [...org.assets.values()].map(renderAsset),
    counts: {
      members: org.users.size, groups: org.groups.size, checklists: org.checklists.size, runs: org.runs.size, tasks: org.tasks.size,
      comments: [...org.tasks.values()].reduce((n, t) => n + t.threads.length, 0), files: org.assets.size,
    },
    writes: { ...org.writes },
  };
}

export type OrganizationSnapshot = ReturnType<typeof inspectOrganization>;
