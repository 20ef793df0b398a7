import { BodyTooLargeError } from '../../core/body.ts';
import { reply } from '../../core/respond.ts';
import type { Router } from '../../core/router.ts';
import { invalid, resourceNotFound, TallyfyError } from '../errors.ts';
import { optionalString, requireString } from '../format.ts';
import { answerWithBytes, readRawBody } from '../raw-http.ts';
import { renderAsset, renderComment } from '../render.ts';
import type { Asset, Comment } from '../types.ts';
import { actorOf, type TallyfyRoute } from './context.ts';

const ORG = '/organizations/:org';
/** Room for the multipart framing and the small text parts around a file at the 100 MB limit. */
const MULTIPART_SLACK = 64 * 1024;

/** Comments (threads) on run tasks, and files: uploaded through /file, attached only by a file field's value. */
export function addCollabRoutes(router: Router<TallyfyRoute>): void {
  router
    .add('POST', `${ORG}/tasks/:task/comment`, async (ctx) => {
      const { org } = ctx;
      const task = org.tasks.get(ctx.params.task as string);
      if (!task) throw resourceNotFound('Task');
      const body = await ctx.body();
      // The hourly cap (120 per organisation) is enforced before this handler, with the other rate limits.
      const comment: Comment = {
        id: org.ids.hex(), task_id: task.id, run_id: task.run_id, content: requireString(body, 'content'),
        label: optionalString(body, 'label') ?? 'comment', state: optionalString(body, 'state') ?? 'hide-for-guests',
        author_id: actorOf(ctx).id, created_at: org.now(),
      };
      task.threads.push(comment);
      org.count('comments');
      return reply(201, { data: renderComment(comment) });
    })
    .add('POST', `${ORG}/file`, async (ctx) => {
      const { org } = ctx;
      const contentType = ctx.headers['content-type'] ?? '';
      if (!contentType.toLowerCase().startsWith('multipart/form-data')) throw invalid('name', 'The name field must be a file (multipart/form-data).');
      let raw: Buffer;
      try {
        raw = await readRawBody(ctx.headers, ctx.fileLimitBytes + MULTIPART_SLACK);
      } catch (error) {
        // Over the limit by far: refused at the door like a proxy's body limit (413, inferred).
        if (error instanceof BodyTooLargeError) throw new TallyfyError(413, `The upload exceeds ${ctx.fileLimitBytes} bytes.`);
        throw error;
      }
      const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData().catch(() => {
        throw invalid('name', 'The multipart body could not be read.');
      });
      const file = form.get('name');
      if (file === null || typeof file === 'string') throw invalid('name', 'The name field must be a file.');
      if (file.size > ctx.fileLimitBytes) throw invalid('name', `The name may not be greater than ${Math.floor(ctx.fileLimitBytes / 1024)} kilobytes.`);
      const field = (key: string) => {
        const value = form.get(key);
        return typeof value === 'string' && value !== '' ? value : null;
      };
      const subjectType = field('subject_type');
      if (subjectType !== 'Run') throw invalid('subject_type', 'The subject_type must be Run.');
      const subjectId = field('subject_id');
      if (subjectId === null || !org.runs.has(subjectId)) throw invalid('subject_id', 'The selected subject_id is invalid.');
      const uploadedFrom = field('uploaded_from');
      if (uploadedFrom !== null && org.captures.get(uploadedFrom)?.field_type !== 'file') throw invalid('uploaded_from', 'The uploaded_from must be a file field.');
      const asset: Asset = {
        id: org.ids.hex(), filename: file.name || 'file', content_type: file.type || 'application/octet-stream', version: 1,
        bytes: Buffer.from(await file.arrayBuffer()), subject: { type: subjectType, id: subjectId }, uploaded_from: uploadedFrom,
        step_id: field('step_id'), checklist_id: field('checklist_id'), uploaded_by: actorOf(ctx).id, created_at: org.now(),
      };
      org.assets.set(asset.id, asset);
      org.count('filesUploaded');
      // Status of a successful upload inferred (200): the reference gives the asset shape only.
      return reply(200, { data: renderAsset(asset) });
    })
    .add('GET', `${ORG}/file/:id/dl`, ({ org, params, headers }) => {
      const asset = org.assets.get(params.id as string);
      if (!asset) throw resourceNotFound('File');
      answerWithBytes(headers, { bytes: asset.bytes, contentType: asset.content_type, filename: asset.filename });
      return reply(200, { data: renderAsset(asset) });
    });
}
