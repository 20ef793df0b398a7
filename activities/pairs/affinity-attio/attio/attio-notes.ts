import type { IdMapStore } from '../../../connectors/id-map/id-map.ts';
import type { NoteWrite, TargetRef, WriteOptions, WriteResult } from '../connector-types.ts';
import type { AttioClient } from './attio-client.ts';
import { refreshNote } from './attio-note-refresh.ts';
import type { AttioNote } from './attio-types.ts';

export interface NoteWriterOptions {
  client: AttioClient;
  idMap: IdMapStore;
  /** Extracts the source note id from a title (the mapper's marker); null when absent. */
  parseMarker: (title: string) => string | null;
  /** Before creating, search the parent's notes for our marker (closes the crash window). Default true. */
  verifyBeforeCreate?: boolean;
  /** Parents whose note markers are cached; bounded so a long job keeps flat memory. */
  cacheParents?: number;
}

const PAGE = 50;

/**
 * Notes cannot be upserted. Safe order: id map → (absent) search the parent's notes for the
 * marker → create → id map. The remaining crash window — created, then crashed before the id map
 * write — is closed by the marker search on the next attempt: the note is found and adopted
 * instead of created twice. The parent's markers are read once per parent and cached, so a person
 * with many notes costs a few reads, not one page walk per note.
 */
export function createNoteWriter(options: NoteWriterOptions) {
  const { client, idMap, parseMarker } = options;
  const verify = options.verifyBeforeCreate ?? true;
  const maxParents = options.cacheParents ?? 2000;
  const markers = new Map<string, Promise<Map<string, string>>>();

  const loadMarkers = async (parent: TargetRef, signal?: AbortSignal): Promise<Map<string, string>> => {
    const found = new Map<string, string>();
    for (let offset = 0; ; offset += PAGE) {
      const res = await client.request<{ data: AttioNote[] }>('GET', '/notes', {
        query: { parent_object: parent.object, parent_record_id: parent.id, limit: PAGE, offset }, signal,
      });
      for (const note of res.data) {
        const marker = parseMarker(note.title);
        if (marker !== null) found.set(marker, note.id.note_id);
      }
      if (res.data.length < PAGE) return found;
    }
  };

  const markersOf = (parent: TargetRef, signal?: AbortSignal): Promise<Map<string, string>> => {
    const key = `${parent.object}:${parent.id}`;
    let entry = markers.get(key);
    if (!entry) {
      if (markers.size >= maxParents) markers.delete(markers.keys().next().value as string);
      entry = loadMarkers(parent, signal);
      entry.catch(() => markers.delete(key));
      markers.set(key, entry);
    }
    return entry;
  };

  return async function createNote(note: NoteWrite, opts: WriteOptions = {}): Promise<WriteResult> {
    const key = `${note.source.kind}:${note.source.id}`;
    const known = (await idMap.get([note.source])).get(key);
    if (known) {
      if (!opts.rewrite) return { target: known, action: 'unchanged', warnings: [] };
      // The parent's cached markers may name the note being replaced: read them again next time.
      markers.delete(`${note.parent.object}:${note.parent.id}`);
      return refreshNote({ client, idMap, parseMarker }, note, known, opts);
    }
    const put = (id: string) => idMap.put([{ source: note.source, target: { object: 'note', id } }], opts.jobId ? { jobId: opts.jobId } : {});

    if (verify) {
      const existing = (await markersOf(note.parent, opts.signal)).get(note.source.id);
      if (existing) {
        const held = await put(existing);
        return { target: held.get(key) ?? { object: 'note', id: existing }, action: 'unchanged', warnings: ['found the note from an earlier attempt; adopted it'] };
      }
    }
    const parentKey = `${note.parent.object}:${note.parent.id}`;
    const res = await client.request<{ data: AttioNote }>('POST', '/notes', {
      body: {
        data: {
          parent_object: note.parent.object,
          parent_record_id: note.parent.id,
          title: note.title,
          format: note.format,
          content: note.content,
          ...(note.createdAt ? { created_at: note.createdAt } : {}),
        },
      },
      signal: opts.signal,
    }).catch((error: unknown) => {
      // The note may exist even though the answer was lost (reset after processing): forget the
      // cached markers so the retry reads the parent's notes again and adopts it.
      markers.delete(parentKey);
      throw error;
    });
    const id = res.data.id.note_id;
    if (verify) (await markersOf(note.parent, opts.signal)).set(note.source.id, id);
    const held = (await put(id)).get(key);
    if (held && held.id !== id) {
      await client.request('DELETE', `/notes/${id}`, { signal: opts.signal });
      return { target: held, action: 'unchanged', warnings: [`concurrent write won; deleted duplicate note ${id}`] };
    }
    return { target: { object: 'note', id }, action: 'created', warnings: [] };
  };
}
