/**
 * The Tallyfy side the job should have produced, computed with the pair's own mapping functions:
 * each source record mapped as the job maps it, with references resolved against what the Tallyfy
 * sandbox holds (members by email, groups by name, blueprints, processes, steps, captures and tasks
 * found by their `[ps:<id>]` marker and their position), not against Freight's id map.
 */
import { KEY, psMarker, type PsObject, type PsRecord, type PsWorkflow, type TallyfyWrite, type TargetRef } from '../../../activities/pairs/process-street-tallyfy/contract.ts';
import { mapPsRecord, resolvePsMappingConfig, runTaskTarget, type PsMapOutcome } from '../../../activities/pairs/process-street-tallyfy/mapping/index.ts';
import { normalizeEmail } from '../../../activities/pairs/process-street-tallyfy/mapping/text.ts';
import type { TallyfySnapshot } from './ps-tallyfy-data.ts';

export type Mapped = PsMapOutcome<TallyfyWrite>;

/** Objects of the snapshot carrying a marker, by source id (more than one = a duplicate). */
export function byMarker<T>(items: readonly T[], text: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const m = /\[ps:([A-Za-z0-9_-]+)\]\s*$/.exec(text(item));
    if (m?.[1]) out.set(m[1], [...(out.get(m[1]) ?? []), item]);
  }
  return out;
}

/** Maps every source record, kind after kind, resolving each kind's references from the snapshot as it goes. */
export function expectedWrites(records: ReadonlyMap<PsObject, PsRecord[]>, tf: TallyfySnapshot, mappingOverrides: Record<string, unknown> = {}): Map<string, Mapped> {
  const config = resolvePsMappingConfig(mappingOverrides);
  const resolved = new Map<string, TargetRef>();
  const put = (kind: string, id: string, ref: TargetRef): void => void resolved.set(`${kind}:${id}`, ref);
  const workflows = new Map((records.get('workflows') ?? []).map((w) => [w.id, w as PsWorkflow]));
  const ctx = { config, resolve: (k: { kind: string; id: string }) => resolved.get(`${k.kind}:${k.id}`), template: (id: string) => workflows.get(id), now: new Date() };
  const out = new Map<string, Mapped>();
  const mapAll = (object: PsObject): void => {
    for (const r of records.get(object) ?? []) out.set(`${object}:${r.id}`, mapPsRecord(r, ctx));
  };

  // Members by email (and the email keys the runtime answers for people the id map does not know).
  const members = new Map(tf.members.map((m) => [normalizeEmail(m.email) ?? m.email, m]));
  for (const m of members.values()) put(KEY.user, `email:${normalizeEmail(m.email)}`, { object: 'member', id: String(m.id) });
  for (const u of records.get('users') ?? []) {
    const m = u.kind === 'users' ? members.get(normalizeEmail(u.email) ?? '') : undefined;
    if (m) put(KEY.user, u.id, { object: 'member', id: String(m.id) });
  }
  mapAll('users');
  mapAll('groups');

  // Blueprints by marker; their steps and captures as the target matches them (title + position, label + position).
  const checklists = byMarker(tf.checklists, (c) => c.title);
  mapAll('workflows');
  for (const w of records.get('workflows') ?? []) {
    const mapped = out.get(`workflows:${w.id}`);
    const checklist = checklists.get(w.id)?.[0];
    if (!checklist || mapped?.status !== 'ok' || mapped.write.kind !== 'blueprint') continue;
    put(KEY.workflow, w.id, { object: 'blueprint', id: checklist.id });
    const steps = checklist.steps?.data ?? [];
    for (const spec of mapped.write.steps) {
      const step = steps.find((s) => s.position === spec.position && s.title === spec.title) ?? steps.find((s) => s.title === spec.title);
      if (!step) continue;
      put(spec.source.kind, spec.source.id, { object: 'step', id: step.id });
      for (const c of spec.captures) {
        const capture = step.captures.find((x) => x.label === c.label && x.position === c.position) ?? step.captures.find((x) => x.label === c.label);
        if (capture) put(c.source.kind, c.source.id, { object: 'capture', id: capture.id });
      }
    }
  }

  // Processes by marker, then each run task as the task of its step in that process.
  const runs = byMarker(tf.runs, (r) => r.name);
  for (const [id, [run]] of runs) if (run) put(KEY.run, id, { object: 'run', id: run.id });
  mapAll('runs');
  for (const r of records.get('runs') ?? []) {
    const mapped = out.get(`runs:${r.id}`);
    const run = runs.get(r.id)?.[0];
    if (!run || mapped?.status !== 'ok' || mapped.write.kind !== 'process') continue;
    for (const spec of mapped.write.tasks) {
      const task = run.tasks.find((t) => t.step_id === spec.stepId);
      if (task) put(spec.source.kind, spec.source.id, runTaskTarget(task.id, spec.stepId));
    }
  }
  mapAll('comments');
  mapAll('attachments');
  return out;
}

export { psMarker };
