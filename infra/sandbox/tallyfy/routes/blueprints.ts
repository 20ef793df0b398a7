import { reply } from '../../core/respond.ts';
import type { Router } from '../../core/router.ts';
import { parseCapture } from '../captures.ts';
import { invalid, resourceNotFound, TallyfyError } from '../errors.ts';
import { intList, optionalString, requireString, stringList } from '../format.ts';
import type { Organization } from '../organization.ts';
import { paginate, withOf } from '../paging.ts';
import { renderCapture, renderChecklist, renderStep } from '../render.ts';
import { CHECKLIST_TYPES, STEP_TYPES, type Capture, type Checklist, type Step } from '../types.ts';
import { actorOf, requireChecklist, type TallyfyRoute } from './context.ts';

const ORG = '/organizations/:org';

/**
 * Blueprint freeze: "build steps and captures before launching: a template freezes once processes
 * launch" [DOC]. The reference gives no status or body for the refusal; the sandbox answers 422
 * `{error: true, message, errors: {checklist_id: [...]}}` (inferred), the status Tallyfy uses for refused input.
 */
function assertNotFrozen(checklist: Checklist): void {
  if (checklist.runs > 0) {
    throw new TallyfyError(422, 'This template has running processes: its steps and form fields can no longer be changed.', undefined, {
      checklist_id: [`Template ${checklist.id} is frozen: ${checklist.runs} process(es) were launched from it.`],
    });
  }
}

function parsePrerun(org: Organization, value: unknown, checklistId: string): Capture[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid('prerun', 'The prerun must be a list of form fields.');
  return value.map((field, i) => parseCapture(org, field, { checklistId, stepId: null, position: i + 1, prefix: `prerun.${i}.` }));
}

function indexCaptures(org: Organization, captures: Capture[]): void {
  for (const capture of captures) org.captures.set(capture.id, capture);
}

function parseStep(org: Organization, body: Record<string, unknown>, checklist: Checklist, existing?: Step): Omit<Step, 'id' | 'captures'> {
  const stepType = body.step_type === undefined ? (existing?.step_type ?? 'task') : body.step_type;
  if (typeof stepType !== 'string' || !(STEP_TYPES as readonly string[]).includes(stepType)) throw invalid('step_type', `The selected step_type is invalid (${STEP_TYPES.join(', ')}).`);
  const position = body.position === undefined ? (existing?.position ?? checklist.steps.length + 1) : body.position;
  if (!Number.isInteger(position)) throw invalid('position', 'The position must be an integer.');
  const assignees = intList(body.assignees, 'assignees');
  const unknown = assignees.find((id) => !org.users.has(id));
  if (unknown !== undefined) throw invalid('assignees', `User ${unknown} is not a member of this organization.`);
  return {
    checklist_id: checklist.id,
    title: requireString(body, 'title', { max: 600 }),
    summary: optionalString(body, 'summary') ?? existing?.summary ?? '',
    position: position as number,
    step_type: stepType,
    // On PUT the three lists are replaced; an omitted one is cleared [MCP].
    assignees,
    guests: stringList(body.guests, 'guests'),
    groups: stringList(body.groups, 'groups'),
  };
}

const byPosition = <T extends { position: number }>(rows: T[]) => rows.sort((a, b) => a.position - b.position);

/** Templates (checklists), their steps and form fields (captures), kick-off fields (prerun). */
export function addBlueprintRoutes(router: Router<TallyfyRoute>): void {
  router
    .add('GET', `${ORG}/checklists`, ({ org, query, selfUrl }) => {
      const q = (query.get('q') ?? '').toLowerCase();
      const status = query.get('status');
      const rows = [...org.checklists.values()].filter((c) => (q === '' || c.title.toLowerCase().includes(q)) && (status === null || c.status === status));
      const steps = withOf(query).has('steps');
      const page = paginate(rows, query, { defaultPerPage: 10, cap: 100, selfUrl });
      return reply(200, { ...page, data: page.data.map((c) => renderChecklist(c, { steps })) });
    })
    .add('GET', `${ORG}/checklists/:id`, ({ org, params, query }) =>
      reply(200, { data: renderChecklist(requireChecklist(org, params.id), { item: true, steps: withOf(query).has('steps') }) }))
    .add('POST', `${ORG}/checklists`, async (ctx) => {
      const { org } = ctx;
      const body = await ctx.body();
      const title = requireString(body, 'title', { max: 250 });
      const type = requireString(body, 'type');
      if (!(CHECKLIST_TYPES as readonly string[]).includes(type)) throw invalid('type', `The selected type is invalid (${CHECKLIST_TYPES.join(', ')}).`);
      const ownerId = body.owner_id === undefined ? actorOf(ctx).id : body.owner_id;
      if (!Number.isInteger(ownerId) || !org.users.has(ownerId as number)) throw invalid('owner_id', 'The selected owner_id is invalid.');
      const id = org.ids.hex();
      const prerun = parsePrerun(org, body.prerun, id);
      const checklist: Checklist = {
        id, title, summary: optionalString(body, 'summary') ?? '', type, status: 'active', owner_id: ownerId as number,
        prerun, steps: [], created_at: org.now(), runs: 0,
      };
      org.checklists.set(id, checklist);
      indexCaptures(org, prerun);
      org.count('checklistsCreated');
      return reply(201, { data: renderChecklist(checklist, { item: true }) });
    })
    .add('PUT', `${ORG}/checklists/:id`, async (ctx) => {
      const { org } = ctx;
      const checklist = requireChecklist(org, ctx.params.id);
      const body = await ctx.body();
      const title = requireString(body, 'title', { max: 250 });
      // `prerun` given replaces the kick-off form (kept when absent, inferred); a frozen template refuses it.
      if ('prerun' in body) {
        assertNotFrozen(checklist);
        const prerun = parsePrerun(org, body.prerun, checklist.id);
        for (const old of checklist.prerun) org.captures.delete(old.id);
        checklist.prerun = prerun;
        indexCaptures(org, prerun);
      }
      checklist.title = title;
      checklist.summary = optionalString(body, 'summary') ?? checklist.summary;
      org.count('checklistsUpdated');
      return reply(200, { data: renderChecklist(checklist, { item: true }) });
    })
    .add('GET', `${ORG}/checklists/:id/steps`, ({ org, params, query, selfUrl }) => {
      const page = paginate(requireChecklist(org, params.id).steps, query, { defaultPerPage: 10, cap: 100, selfUrl });
      return reply(200, { ...page, data: page.data.map(renderStep) });
    })
    .add('POST', `${ORG}/checklists/:id/steps`, async (ctx) => {
      const checklist = requireChecklist(ctx.org, ctx.params.id);
      assertNotFrozen(checklist);
      const step: Step = { id: ctx.org.ids.hex(), ...parseStep(ctx.org, await ctx.body(), checklist), captures: [] };
      checklist.steps.push(step);
      byPosition(checklist.steps);
      ctx.org.count('stepsCreated');
      return reply(201, { data: renderStep(step) });
    })
    .add('PUT', `${ORG}/checklists/:id/steps/:step`, async (ctx) => {
      const checklist = requireChecklist(ctx.org, ctx.params.id);
      const step = checklist.steps.find((s) => s.id === ctx.params.step);
      if (!step) throw resourceNotFound('Step');
      assertNotFrozen(checklist);
      Object.assign(step, parseStep(ctx.org, await ctx.body(), checklist, step));
      byPosition(checklist.steps);
      ctx.org.count('stepsUpdated');
      return reply(200, { data: renderStep(step) });
    })
    .add('POST', `${ORG}/checklists/:id/steps/:step/captures`, async (ctx) => {
      const checklist = requireChecklist(ctx.org, ctx.params.id);
      const step = checklist.steps.find((s) => s.id === ctx.params.step);
      if (!step) throw resourceNotFound('Step');
      assertNotFrozen(checklist);
      const capture = parseCapture(ctx.org, await ctx.body(), { checklistId: checklist.id, stepId: step.id, position: step.captures.length + 1 });
      step.captures.push(capture);
      byPosition(step.captures);
      ctx.org.captures.set(capture.id, capture);
      ctx.org.count('capturesCreated');
      return reply(201, { data: renderCapture(capture) });
    });
}
