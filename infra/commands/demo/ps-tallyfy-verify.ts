/**
 * Verification of a Process Street → Tallyfy job against the sandboxes: every source object exactly
 * once in Tallyfy (members by email, groups by name, blueprints, processes and comments by their
 * `[ps:<id>]` marker, files by process and name), its values equal to what the pair's mapping makes of
 * the source record, and every record the mapping degrades logged as degraded by the job.
 */
import type { PsObject, TallyfyWrite } from '../../../activities/pairs/process-street-tallyfy/contract.ts';
import { normalizeEmail } from '../../../activities/pairs/process-street-tallyfy/mapping/text.ts';
import { markedFileName } from '../../../activities/pairs/process-street-tallyfy/tallyfy/tallyfy-collab.ts';
import { byMarker, expectedWrites } from './ps-tallyfy-expect.ts';
import { readSource, readTallyfy, recordLog, type LogRow, type TallyfySnapshot } from './ps-tallyfy-data.ts';
import type { ApiClient } from '../api-client.ts';

export interface KindCheck { expected: number; present: number; missing: number; duplicates: number; mismatches: number; absentAsLogged: number; examples: string[] }
export interface PsVerification { ok: boolean; seconds: number; sourceCalls: number; kinds: Record<string, KindCheck>; degraded: { expected: number; logged: number; notLogged: number } }

/** Tallyfy keeps dates to the whole second (ISO Zulu out): dates compare as instants at that precision. */
const instant = (d: string | null | undefined): number | null =>
  (d ? Math.floor(Date.parse(/^\d{4}-\d\d-\d\d \d/.test(d) ? `${d.replace(' ', 'T')}Z` : d) / 1000) : null);
const ISO = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?Z?$/;
const same = (a: unknown, b: unknown): boolean => {
  const canon = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'string' && ISO.test(x) ? instant(x) : x));
  return canon(a) === canon(b);
};
const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);

/** Where each write should be found in the snapshot, and what differs (empty = equal). */
function locate(w: TallyfyWrite, tf: TallyfySnapshot, idx: ReturnType<typeof indexes>): { found: number; diffs: string[] } {
  switch (w.kind) {
    case 'member': {
      const hits = tf.members.filter((m) => normalizeEmail(m.email) === normalizeEmail(w.email));
      const m = hits[0];
      // Process Street users whose emails differ only by case are one Tallyfy member: any of their names is right.
      const names = idx.memberNames.get(normalizeEmail(w.email) ?? '') ?? new Set<string>();
      return { found: hits.length, diffs: m && !names.has(`${m.first_name}|${m.last_name}`) ? [`name ${m.first_name} ${m.last_name} ≠ ${w.firstName} ${w.lastName}`] : [] };
    }
    case 'group': {
      const hits = tf.groups.filter((g) => g.name === w.name);
      const g = hits[0];
      const diffs = g && !same(sorted(g.members), sorted(w.memberIds)) ? [`members ${g.members.length} ≠ ${w.memberIds.length}`] : [];
      return { found: hits.length, diffs };
    }
    case 'blueprint': {
      const hits = idx.checklists.get(w.source.id) ?? [];
      const c = hits[0];
      const diffs: string[] = [];
      if (c) {
        const steps = c.steps?.data ?? [];
        if (c.title !== w.title) diffs.push('title');
        if ((c.summary ?? '') !== w.summary) diffs.push('summary');
        if (steps.length !== w.steps.length) diffs.push(`${steps.length} steps ≠ ${w.steps.length}`);
        for (const spec of w.steps) {
          const s = steps.find((x) => x.position === spec.position && x.title === spec.title);
          if (!s) { diffs.push(`step "${spec.title}" missing`); continue; }
          if (s.step_type !== spec.stepType || (s.summary ?? '') !== spec.summary) diffs.push(`step "${spec.title}" type/summary`);
          const shape = (x: { label: string; field_type: string; required: boolean; options?: Array<{ text: string }> }) => [x.label, x.field_type, x.required, (x.options ?? []).map((o) => o.text)];
          if (!same(s.captures.map(shape), spec.captures.map((x) => shape({ label: x.label, field_type: x.fieldType, required: x.required, options: x.options ?? [] })))) diffs.push(`captures of "${spec.title}"`);
        }
      }
      return { found: hits.length, diffs };
    }
    case 'process': {
      const hits = idx.runs.get(w.source.id) ?? [];
      const r = hits[0];
      const diffs: string[] = [];
      if (r) {
        if (r.checklist_id !== w.checklistId) diffs.push('blueprint');
        if ((r.summary ?? '') !== w.summary) diffs.push('summary');
        if (w.status === 'archived' && r.status !== 'archived') diffs.push(`status ${r.status} ≠ archived`);
        for (const spec of w.tasks) {
          const t = r.tasks.find((x) => x.step_id === spec.stepId);
          if (!t) { diffs.push(`task of step ${spec.stepId} missing`); continue; }
          if (!same(sorted(t.owners.users), sorted(spec.owners))) diffs.push(`owners of task ${t.id}`);
          if (spec.deadline && instant(t.deadline) !== instant(spec.deadline)) diffs.push(`deadline of task ${t.id}`);
          for (const [capture, value] of Object.entries(spec.taskdata)) {
            if (!same(t.storedValues[capture], value)) diffs.push(`value ${capture} of task ${t.id}: ${JSON.stringify(t.storedValues[capture])?.slice(0, 80)} ≠ ${JSON.stringify(value).slice(0, 80)}`);
          }
          const done = t.status === 'completed';
          if (done !== (spec.complete !== null)) diffs.push(`task ${t.id} ${t.status}, expected ${spec.complete ? 'completed' : 'open'}`);
          // A file attached to a completed task reopens and completes it again as the migration user (the attachment's degraded reason).
          else if (spec.complete?.by != null && t.completer_id !== spec.complete.by && !idx.fileTasks.has(`${r.id}|${spec.stepId}`)) diffs.push(`completer of task ${t.id}`);
        }
      }
      return { found: hits.length, diffs };
    }
    case 'comment': {
      const hits = idx.comments.get(w.source.id) ?? [];
      const c = hits[0];
      const diffs: string[] = [];
      if (c && c.content !== w.content) diffs.push('content');
      if (c && (c.run_id !== w.runId || c.stepId !== w.stepId)) diffs.push('task');
      return { found: hits.length, diffs };
    }
    case 'file': {
      // Uploaded under the source name with the marker before the extension (the target's convention), from the run.
      const name = markedFileName(w.fileName, w.source.id);
      const hits = tf.files.filter((f) => f.subject.id === w.runId && f.filename === name);
      const diffs = hits[0] && hits[0].uploaded_from !== w.captureId ? ['capture'] : [];
      return { found: hits.length, diffs };
    }
  }
}

function indexes(tf: TallyfySnapshot, writes: TallyfyWrite[]) {
  const threads = tf.runs.flatMap((r) => r.tasks.flatMap((t) => (t.threads?.data ?? []).map((c) => ({ ...c, stepId: t.step_id }))));
  const memberNames = new Map<string, Set<string>>();
  for (const w of writes) {
    if (w.kind !== 'member') continue;
    const email = normalizeEmail(w.email) ?? '';
    memberNames.set(email, (memberNames.get(email) ?? new Set()).add(`${w.firstName}|${w.lastName}`));
  }
  const fileTasks = new Set(writes.flatMap((w) => (w.kind === 'file' ? [`${w.runId}|${w.stepId}`] : [])));
  return { checklists: byMarker(tf.checklists, (c) => c.title), runs: byMarker(tf.runs, (r) => r.name), comments: byMarker(threads, (c) => c.content), memberNames, fileTasks };
}

export async function verifyPsTallyfy(options: { processStreet: { url: string; apiKey: string }; tallyfyUrl: string; api: ApiClient; jobId: string }): Promise<PsVerification> {
  const started = performance.now();
  const [source, tf, log] = await Promise.all([readSource(options.processStreet), readTallyfy(options.tallyfyUrl), recordLog(options.api, options.jobId)]);
  const logged = new Map<string, LogRow>(log.map((r) => [`${r.object}:${r.sourceId}`, r]));
  const mapped = expectedWrites(source.records, tf);
  const writes = [...mapped.values()].flatMap((m) => (m.status === 'ok' ? [m.write] : []));
  const idx = indexes(tf, writes);
  const kinds: Record<string, KindCheck> = {};
  const degraded = { expected: 0, logged: log.filter((r) => r.degraded !== null).length, notLogged: 0 };
  for (const [key, m] of mapped) {
    const object = key.slice(0, key.indexOf(':')) as PsObject;
    const k = (kinds[object] ??= { expected: 0, present: 0, missing: 0, duplicates: 0, mismatches: 0, absentAsLogged: 0, examples: [] });
    const row = logged.get(key);
    const example = (text: string): void => void (k.examples.length < 3 && k.examples.push(`${key}: ${text}`));
    if (m.status !== 'ok' || row?.status === 'failed' || row?.status === 'skipped') {
      // Not written on purpose (the mapping skips it) or logged as not written: absent is right.
      k.absentAsLogged += 1;
      continue;
    }
    k.expected += 1;
    if (m.degraded.length > 0) {
      degraded.expected += 1;
      if (!row?.degraded) { degraded.notLogged += 1; example('degraded by the mapping but not logged degraded'); }
    }
    const { found, diffs } = locate(m.write, tf, idx);
    if (found === 0) { k.missing += 1; example('not in Tallyfy'); continue; }
    k.present += 1;
    if (found > 1) { k.duplicates += 1; example(`${found} times in Tallyfy`); }
    if (diffs.length > 0) { k.mismatches += 1; example(diffs.slice(0, 2).join('; ')); }
  }
  const ok = Object.values(kinds).every((k) => k.missing + k.duplicates + k.mismatches === 0) && degraded.notLogged === 0;
  return { ok, seconds: (performance.now() - started) / 1000, sourceCalls: source.calls, kinds, degraded };
}
