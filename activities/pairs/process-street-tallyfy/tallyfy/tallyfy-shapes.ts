import { sourceKeyString, type IdMapStore } from '../../../connectors/id-map/id-map.ts';
import type { SourceKey, TargetRef, TallyfyWriteResult } from '../contract.ts';
import type { TallyfyClient } from './tallyfy-client.ts';

/** What the target reads back (tallyfy-api.md, Endpoints); only the fields it relies on. */
export interface TfUser { id: number; email: string; status?: string }
export interface TfGroup { id: string; name: string }
export interface TfChecklist { id: string; title: string }
export interface TfCapture { id: string; label: string; position?: number; field_type?: string }
export interface TfStep { id: string; title: string; position?: number; captures?: TfCapture[] | { data?: TfCapture[] } }
export interface TfRun { id: string; name: string; checklist_id: string; status: string }
export interface TfTask {
  id: string; step_id: string; status: string; position?: number; deadline?: string | null;
  owners?: { users?: number[] } | null;
  /** Values, when the answer carries them (inferred: the reference lists no value field on tasks); absent = written again. */
  taskdata?: Record<string, unknown>;
  /** `with=form_fields` (reference: GET /runs/{id}/tasks): the step's captures with the task's `value` each. */
  form_fields?: TfFormField[] | { data?: TfFormField[] };
  threads?: TfThread[] | { data?: TfThread[] };
}
export interface TfFormField { id: string; value?: unknown }
export interface TfThread { id: string | number; content?: string }
export interface TfAsset { id: string; filename: string }

/** Items come as `{data: {...}}`; `with=` relations nest as `{data: [...]}` [DOC]. */
export function item<T>(body: { data?: T } | T): T {
  return body && typeof body === 'object' && 'data' in body && body.data !== undefined ? body.data : (body as T);
}

export function relation<T>(value: T[] | { data?: T[] } | undefined | null): T[] {
  if (!value) return [];
  return Array.isArray(value) ? value : value.data ?? [];
}

/** A task's current values by capture id: its form fields' values, else `taskdata` when the answer has it. */
export function taskValues(task: TfTask): Record<string, unknown> {
  const fields = relation(task.form_fields);
  return fields.length > 0 ? Object.fromEntries(fields.map((f) => [f.id, f.value ?? null])) : { ...task.taskdata };
}

export interface WriteContext {
  client: TallyfyClient;
  idMap: IdMapStore;
  signal?: AbortSignal;
  jobId?: string;
}

/** The id map's target for `source`, if any. */
export async function known(ctx: WriteContext, source: SourceKey): Promise<TargetRef | undefined> {
  return (await ctx.idMap.get([source])).get(sourceKeyString(source));
}

/**
 * Records `target` for `source` (insert-if-absent) and returns what the map holds: a concurrent
 * writer that got there first wins, and callers go on with its object.
 */
export async function remember(ctx: WriteContext, source: SourceKey, target: TargetRef): Promise<TargetRef> {
  const held = await ctx.idMap.put([{ source, target }], ctx.jobId ? { jobId: ctx.jobId } : {});
  return held.get(sourceKeyString(source)) ?? target;
}

export function result(target: TargetRef, action: TallyfyWriteResult['action'], warnings: string[] = [], degraded: string[] = []): TallyfyWriteResult {
  return { target, action, warnings, degraded };
}

/** Tallyfy ids in paths: 32-hex or integers; anything else is refused before it reaches a URL. */
export function pathId(id: string | number): string {
  const s = String(id);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(s)) throw new Error(`not a Tallyfy id: ${s.slice(0, 40)}`);
  return s;
}
