import { CONFIG, NOT_FOUND } from '../../../../shared/error-kinds.ts';
import { ConnectorError } from '../../../connectors/connector-error.ts';
import { sourceKeyString } from '../../../connectors/id-map/id-map.ts';
import { KEY, psMarker, type CommentWrite, type FileWrite, type TallyfyWriteResult } from '../contract.ts';
import { runTasks } from './tallyfy-processes.ts';
import { item, known, pathId, relation, remember, result, type TfAsset, type TfTask, type TfThread, type WriteContext } from './tallyfy-shapes.ts';

/** Downloads a source file's bytes (the pair runtime, with the source's credentials). */
export type Download = (url: string, signal?: AbortSignal) => Promise<Buffer>;

/** The run task made from `stepId` (the contract names runs and steps; comments and files live on tasks). */
async function taskOf(ctx: WriteContext, runId: string, stepId: string): Promise<TfTask> {
  const task = (await runTasks(ctx, runId)).find((t) => t.step_id === stepId);
  if (!task) throw new ConnectorError({ kind: NOT_FOUND, message: `Tallyfy run ${runId} has no task of step ${stepId}` });
  return task;
}

/**
 * Comment: id map → the task's threads (`GET /runs/{r}/tasks/{t}?with=threads`) searched for the
 * content's marker (closes the crash window) → `POST /tasks/{task}/comment`, paced by the
 * organisation's 120/hour cap. Posted as the migrating user: the author and date ride in the text.
 */
export async function writeComment(ctx: WriteContext, w: CommentWrite): Promise<TallyfyWriteResult> {
  const degraded = ['author and date carried in the comment text, not as its author'];
  const hit = await known(ctx, w.source);
  if (hit) return result(hit, 'unchanged', [], degraded);
  const task = await taskOf(ctx, w.runId, w.stepId);
  const marker = psMarker(w.source.id);
  const withThreads = item(await ctx.client.request<{ data: TfTask }>('GET', `/runs/${pathId(w.runId)}/tasks/${pathId(task.id)}`, {
    query: { with: 'threads' }, signal: ctx.signal,
  }));
  const earlier = relation<TfThread>(withThreads.threads).find((t) => typeof t.content === 'string' && t.content.includes(marker));
  if (earlier) {
    const target = await remember(ctx, w.source, { object: 'comment', id: String(earlier.id) });
    return result(target, 'unchanged', ['found the comment from an earlier attempt; adopted it'], degraded);
  }
  const thread = item(await ctx.client.request<{ data: TfThread }>('POST', `/tasks/${pathId(task.id)}/comment`, {
    body: { content: w.content }, pace: 'comment', signal: ctx.signal,
  }));
  return result(await remember(ctx, w.source, { object: 'comment', id: String(thread.id) }), 'created', [], degraded);
}

/** The uploaded name: the source name with the marker before its extension, so a retry recognises it. */
export function markedFileName(fileName: string, sourceId: string): string {
  const dot = fileName.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [fileName.slice(0, dot), fileName.slice(dot)] : [fileName, ''];
  return `${stem} ${psMarker(sourceId)}${ext}`;
}

/** The file capture's current value: `[asset]` in the task's form fields (inferred: `with=form_fields` carries `value`). */
function currentAssets(task: TfTask & { form_fields?: unknown; taskdata?: Record<string, unknown> }, captureId: string): TfAsset[] {
  const fields = relation(task.form_fields as Array<{ id: string; value?: unknown }> | { data?: Array<{ id: string; value?: unknown }> } | undefined);
  const value = fields.find((f) => f.id === captureId)?.value ?? task.taskdata?.[captureId];
  return Array.isArray(value) ? value.filter((a): a is TfAsset => !!a && typeof a === 'object' && typeof (a as TfAsset).filename === 'string') : [];
}

/**
 * File: id map → the capture's current value holding an asset with our marked name → download,
 * `POST /file` (multipart, subject the run, uploaded from the capture), then `[...assets, asset]`
 * into the capture through `taskdata`. A completed task is reopened, written and completed again
 * (degraded: its completion date and completer become the migration's). Before reopening, the id
 * map records it (`ps_attachment_reopened`): a retry after a crash between reopen and completion
 * completes the task it left open. An upload whose taskdata write was lost leaves an unattached
 * asset (invisible in Tallyfy); the retry uploads again.
 */
export async function writeFile(ctx: WriteContext, w: FileWrite, download: Download): Promise<TallyfyWriteResult> {
  const degraded = ['uploaded by the migrating user; upload date not preserved'];
  const journal = { kind: `${KEY.attachment}_reopened`, id: w.source.id };
  const mapped = await ctx.idMap.get([w.source, journal]);
  const hit = mapped.get(sourceKeyString(w.source));
  if (hit) return result(hit, 'unchanged', [], degraded);
  const name = markedFileName(w.fileName, w.source.id);
  const task = await taskOf(ctx, w.runId, w.stepId);
  const runPath = `/runs/${pathId(w.runId)}`;
  const full = item(await ctx.client.request<{ data: TfTask }>('GET', `${runPath}/tasks/${pathId(task.id)}`, {
    query: { with: 'form_fields' }, signal: ctx.signal,
  }));
  const completed = full.status === 'completed';
  const leftOpen = !completed && mapped.has(sourceKeyString(journal));
  const complete = async (): Promise<void> => {
    await ctx.client.request('POST', `${runPath}/completed-tasks`, { body: { task_id: task.id }, signal: ctx.signal });
    degraded.push('task reopened to attach the file and completed again (completion date and completer reset)');
  };
  const assets = currentAssets(full, w.captureId);
  const earlier = assets.find((a) => a.filename === name);
  if (earlier) {
    if (leftOpen) await complete();
    return result(await remember(ctx, w.source, { object: 'file', id: String(earlier.id) }), 'unchanged', ['found the file from an earlier attempt; adopted it'], degraded);
  }
  if (!w.downloadUrl) throw new ConnectorError({ kind: CONFIG, message: `attachment ${w.source.id} has no download URL` });
  const bytes = await download(w.downloadUrl, ctx.signal);
  const asset = item(await ctx.client.upload<{ data: TfAsset }>({
    subject_type: 'Run', subject_id: w.runId, uploaded_from: w.captureId, step_id: w.stepId, checklist_id: w.checklistId,
  }, { fileName: name, mimeType: w.mimeType || 'application/octet-stream', bytes }, ctx.signal));

  if (completed) {
    await remember(ctx, journal, { object: 'task', id: task.id });
    await ctx.client.request('DELETE', `${runPath}/completed-tasks/${pathId(task.id)}`, { signal: ctx.signal });
  }
  await ctx.client.request('PUT', `${runPath}/tasks/${pathId(task.id)}`, { body: { taskdata: { [w.captureId]: [...assets, asset] } }, signal: ctx.signal });
  if (completed || leftOpen) await complete();
  degraded.push('file name carries the source marker');
  return result(await remember(ctx, w.source, { object: 'file', id: String(asset.id) }), 'created', [], degraded);
}
