import type { AffinityRecord } from '../affinity/affinity-types.ts';
import type { NoteWrite, SourceKey } from '../connector-types.ts';
import { mapRecord, type MapContext } from '../mapping/index.ts';
import type { AttioNoteRow } from './attio-snapshot.ts';

/** The footer's mark of a linked entity that was not migrated when the note was written. */
const NOT_MIGRATED = ' (not migrated)';

/**
 * The note as the job wrote it. A note's parent is the first of its linked entities migrated *at
 * write time*, and its footer marks the others not migrated then: a note written while its first
 * linked person was still missing (a poison record, fixed and retried later) is attached to the next
 * one, faithfully, and Attio offers no way to move a note. So when the target's parent is another of
 * the note's linked entities, the note is re-mapped as if the entities before it were not migrated
 * yet; any other parent is a real difference (the mapping's write is kept).
 */
function writeTimeNote(record: AffinityRecord, ctx: MapContext, mapped: NoteWrite, parentId: string): NoteWrite {
  const blocked = new Set<string>();
  let write = mapped;
  for (let i = 0; i < 50 && write.parent.id !== parentId; i += 1) {
    blocked.add(`${write.parent.object}:${write.parent.id}`);
    const resolve = (key: SourceKey) => {
      const ref = ctx.resolve(key);
      return ref && !blocked.has(`${ref.object}:${ref.id}`) ? ref : undefined;
    };
    const again = mapRecord(record, { ...ctx, resolve });
    if (again.status !== 'ok' || again.write.kind !== 'note') return mapped;
    write = again.write.write;
  }
  return write.parent.id === parentId ? write : mapped;
}

/** What differs between a note in Attio and the source note mapped (null: nothing). */
export function noteProblem(record: AffinityRecord, ctx: MapContext, mapped: NoteWrite, n: AttioNoteRow): string | null {
  const w = n.parent_record_id === mapped.parent.id ? mapped : writeTimeNote(record, ctx, mapped, n.parent_record_id);
  // Whether a linked entity was migrated when the note was written is a fact of that moment, not of its content.
  const content = (text: string): string => text.replaceAll(NOT_MIGRATED, '');
  return n.parent_record_id !== w.parent.id ? `parent ${n.parent_record_id} ≠ ${w.parent.id}`
    // A plaintext note is compared as plain text: Attio's markdown rendering of it may escape characters.
    : content(w.format === 'plaintext' ? n.content_plaintext : n.content_markdown) !== content(w.content) ? 'content differs'
    : n.title !== w.title ? 'title differs'
    : w.createdAt && n.created_at !== w.createdAt ? `created_at ${n.created_at} ≠ ${w.createdAt}` : null;
}
