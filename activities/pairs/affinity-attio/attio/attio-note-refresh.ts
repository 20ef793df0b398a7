import { isConnectorError } from '../../../connectors/connector-error.ts';
import type { IdMapStore } from '../../../connectors/id-map/id-map.ts';
import type { NoteWrite, TargetRef, WriteOptions, WriteResult } from '../connector-types.ts';
import type { AttioClient } from './attio-client.ts';
import type { AttioNote } from './attio-types.ts';

const PAGE = 50;

/** The note holds what the write would write (a plaintext note compared as plain text, as Attio renders it). */
export function sameContent(held: AttioNote, note: NoteWrite): boolean {
  return (note.format === 'plaintext' ? held.content_plaintext : held.content_markdown) === note.content && held.title === note.title;
}

const isNotFound = (error: unknown): boolean => isConnectorError(error) && error.status === 404;

/**
 * The references pass writes a note again once what it mentions is migrated ("… (not migrated)" in
 * its footer is no longer true). Attio's API has no way to edit a note (GET and DELETE only on
 * `/v2/notes/{note_id}`), so a note whose content changed is replaced: create the new one (or adopt
 * one a crashed attempt created), delete the old one and any other leftover with the same marker,
 * then point the id map at the new one (compare-and-set). Every step is safe to repeat: a rerun
 * after a crash anywhere converges on exactly one note with the new content.
 */
export async function refreshNote(
  deps: { client: AttioClient; idMap: IdMapStore; parseMarker: (title: string) => string | null },
  note: NoteWrite, known: TargetRef, opts: WriteOptions,
): Promise<WriteResult> {
  const { client, idMap } = deps;
  const signal = opts.signal;
  const current = await client.request<{ data: AttioNote }>('GET', `/notes/${known.id}`, { signal })
    .then((res) => res.data, (error: unknown) => { if (isNotFound(error)) return null; throw error; });
  if (current && sameContent(current, note)) return { target: known, action: 'unchanged', warnings: [] };

  const siblings: AttioNote[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const res = await client.request<{ data: AttioNote[] }>('GET', '/notes', {
      query: { parent_object: note.parent.object, parent_record_id: note.parent.id, limit: PAGE, offset }, signal,
    });
    siblings.push(...res.data.filter((n) => n.id.note_id !== known.id && deps.parseMarker(n.title) === note.source.id));
    if (res.data.length < PAGE) break;
  }
  const adopted = siblings.find((n) => sameContent(n, note));
  // Gone without a replacement in sight: someone deleted it in Attio. Not brought back.
  if (!current && !adopted) return { target: known, action: 'unchanged', warnings: [`note ${known.id} no longer exists in Attio; not re-created`] };
  const replacement = adopted?.id.note_id ?? (await client.request<{ data: AttioNote }>('POST', '/notes', {
    body: {
      data: {
        parent_object: note.parent.object, parent_record_id: note.parent.id, title: note.title, format: note.format, content: note.content,
        ...(note.createdAt ? { created_at: note.createdAt } : {}),
      },
    },
    signal,
  })).data.id.note_id;
  const remove = async (id: string): Promise<void> => {
    await client.request('DELETE', `/notes/${id}`, { signal }).catch((error: unknown) => { if (!isNotFound(error)) throw error; });
  };
  for (const n of siblings) if (n.id.note_id !== replacement) await remove(n.id.note_id);
  if (current) await remove(known.id);
  const target = { object: 'note', id: replacement };
  const held = await idMap.replace(note.source, known, target, opts.jobId ? { jobId: opts.jobId } : {});
  if (held && held.id !== replacement) {
    // Another attempt replaced it first: its note stands, this one goes.
    await remove(replacement);
    return { target: held, action: 'unchanged', warnings: [] };
  }
  return { target, action: 'updated', warnings: [`Attio notes cannot be edited: note ${known.id} replaced by ${replacement} with the references resolved`] };
}
