import { sourceKeyString } from '../../../connectors/id-map/id-map.ts';
import type { BlueprintWrite, CaptureSpec, SourceKey, StepSpec, TallyfyWriteResult } from '../contract.ts';
import { item, pathId, relation, remember, result, type TfCapture, type TfChecklist, type TfStep, type WriteContext } from './tallyfy-shapes.ts';

/**
 * Blueprint: id map → `GET /checklists?q=<title with marker>` → `POST /checklists`; then its steps
 * and their captures, each matched before created, each put in the id map (`KEY.templateTask`,
 * `KEY.templateField`) so processes resolve them. All of it before the first launch: a template
 * freezes once processes run from it [DOC]. A re-run whose every step and capture is mapped reads nothing.
 */
export async function writeBlueprint(ctx: WriteContext, w: BlueprintWrite): Promise<TallyfyWriteResult> {
  const children: SourceKey[] = w.steps.flatMap((s) => [s.source, ...s.captures.map((c) => c.source)]);
  const mapped = await ctx.idMap.get([w.source, ...children]);
  const hit = mapped.get(sourceKeyString(w.source));
  if (hit && children.every((k) => mapped.has(sourceKeyString(k)))) return result(hit, 'unchanged');

  let checklistId = hit?.id;
  let created = false;
  const warnings: string[] = [];
  if (!checklistId) {
    const match = (c: TfChecklist): boolean => c.title === w.title;
    const found = (await ctx.client.listAll<TfChecklist>('/checklists', { q: w.title }, { signal: ctx.signal, until: match })).find(match);
    if (found) {
      checklistId = found.id;
      warnings.push('found the blueprint from an earlier attempt; adopted it');
    } else {
      checklistId = item(await ctx.client.request<{ data: TfChecklist }>('POST', '/checklists', {
        body: { title: w.title, type: 'procedure', summary: w.summary }, signal: ctx.signal,
      })).id;
      created = true;
    }
    checklistId = (await remember(ctx, w.source, { object: 'blueprint', id: checklistId })).id;
  }

  // Steps with their captures in one list (`with=captures` on the steps list: inferred, the
  // reference names no other way to read a step's captures).
  const existing = await ctx.client.listAll<TfStep>(`/checklists/${pathId(checklistId)}/steps`, { with: 'captures' }, { signal: ctx.signal });
  let added = 0;
  const used = new Set<string>();
  for (const spec of [...w.steps].sort((a, b) => a.position - b.position)) {
    const step = await ensureStep(ctx, checklistId, spec, existing, used, mapped.get(sourceKeyString(spec.source))?.id);
    if (step.created) added += 1;
    added += await ensureCaptures(ctx, checklistId, step.step, spec.captures, mapped);
  }
  const target = { object: 'blueprint', id: checklistId };
  return result(target, created ? 'created' : added > 0 ? 'updated' : 'unchanged', warnings);
}

/** A step: mapped id → an existing step with the same title (same position preferred) → created. */
async function ensureStep(
  ctx: WriteContext, checklistId: string, spec: StepSpec, existing: TfStep[], used: Set<string>, mappedId: string | undefined,
): Promise<{ step: TfStep; created: boolean }> {
  const byId = mappedId ? existing.find((s) => s.id === mappedId) : undefined;
  const free = existing.filter((s) => !used.has(s.id) && s.title === spec.title);
  const found = byId ?? free.find((s) => s.position === spec.position) ?? free[0];
  if (found) {
    used.add(found.id);
    if (!mappedId) await remember(ctx, spec.source, { object: 'step', id: found.id });
    return { step: found, created: false };
  }
  const step = item(await ctx.client.request<{ data: TfStep }>('POST', `/checklists/${pathId(checklistId)}/steps`, {
    body: { title: spec.title, summary: spec.summary, position: spec.position, step_type: spec.stepType }, signal: ctx.signal,
  }));
  used.add(step.id);
  await remember(ctx, spec.source, { object: 'step', id: step.id });
  return { step: { ...step, captures: [] }, created: true };
}

/** Captures of a step, matched by label + position (label alone as fallback); `required` always sent, option ids integers. */
async function ensureCaptures(
  ctx: WriteContext, checklistId: string, step: TfStep, specs: CaptureSpec[], mapped: Map<string, { id: string }>,
): Promise<number> {
  const existing = relation(step.captures);
  const used = new Set<string>();
  let added = 0;
  for (const spec of [...specs].sort((a, b) => a.position - b.position)) {
    const mappedId = mapped.get(sourceKeyString(spec.source))?.id;
    const free = existing.filter((c) => !used.has(c.id) && c.label === spec.label);
    const found = (mappedId ? existing.find((c) => c.id === mappedId) : undefined) ?? free.find((c) => c.position === spec.position) ?? free[0];
    if (found) {
      used.add(found.id);
      if (!mappedId) await remember(ctx, spec.source, { object: 'capture', id: found.id });
      continue;
    }
    const capture = item(await ctx.client.request<{ data: TfCapture }>('POST', `/checklists/${pathId(checklistId)}/steps/${pathId(step.id)}/captures`, {
      body: {
        label: spec.label, field_type: spec.fieldType, required: spec.required, position: spec.position,
        ...(spec.options ? { options: spec.options.map((o) => ({ id: Math.trunc(o.id), text: o.text })) } : {}),
        ...(spec.columns ? { columns: spec.columns.map((c) => ({ id: Math.trunc(c.id), label: c.label })) } : {}),
        ...(spec.validation ? { field_validation: spec.validation } : {}),
      },
      signal: ctx.signal,
    }));
    used.add(capture.id);
    await remember(ctx, spec.source, { object: 'capture', id: capture.id });
    added += 1;
  }
  return added;
}
