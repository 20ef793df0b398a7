import { existsSync } from 'node:fs';
import path from 'node:path';
import type { NoteRow } from '../workspace/types.ts';
import { readLines } from './files.ts';
import { JOURNAL_FILE, rowKey, SNAPSHOT_FILE, type JournalBatch, type SavedRow, type SavedSchema, type SnapshotHeader } from './format.ts';

/** A state folder that cannot be read as written: refused rather than silently replaced. */
export class StateFileError extends Error {
  constructor(file: string, reason: string) {
    super(`${file}: ${reason}. Move or delete the folder to start with an empty workspace.`);
    this.name = 'StateFileError';
  }
}

export interface LoadedState {
  header: SnapshotHeader;
  schema: SavedSchema;
  /** The last saved state of each row and note (map order: first seen; rows carry their position). */
  rows: Map<string, SavedRow>;
  notes: Map<string, NoteRow>;
  /** The journal's bytes to keep (a torn last line is cut off), undefined when it must be started anew. */
  journalBytes: number | undefined;
  batches: number;
  tornTail: boolean;
}

type SnapshotLine = SnapshotHeader | { t: 'schema'; schema: SavedSchema } | SavedRow | { k: 'n'; note: NoteRow } | { t: 'end'; lines: number };

function parse<T>(file: string, text: string, lineNo: number): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new StateFileError(file, `line ${lineNo} is not JSON`);
  }
}

/** The snapshot's first line, or undefined when there is no snapshot. */
export async function readHeader(dir: string): Promise<SnapshotHeader | undefined> {
  const file = path.join(dir, SNAPSHOT_FILE);
  if (!existsSync(file)) return undefined;
  for await (const line of readLines(file)) {
    const header = parse<SnapshotHeader>(file, line.text, 1);
    if (header.t !== 'header' || typeof header.format !== 'number') throw new StateFileError(file, 'no header line');
    return header;
  }
  throw new StateFileError(file, 'empty file');
}

/** Reads the snapshot, then replays the journal written after it (if it belongs to that snapshot). */
export async function loadState(dir: string): Promise<LoadedState> {
  const snapshot = path.join(dir, SNAPSHOT_FILE);
  let header: SnapshotHeader | undefined;
  let schema: SavedSchema | undefined;
  let ended = false;
  let count = 0;
  const rows = new Map<string, SavedRow>();
  const notes = new Map<string, NoteRow>();
  let lineNo = 0;
  for await (const line of readLines(snapshot)) {
    lineNo += 1;
    // Written to a temporary file and renamed once complete: any defect here is not a torn write.
    if (!line.complete || ended) throw new StateFileError(snapshot, `unexpected data after line ${lineNo - 1}`);
    const entry = parse<SnapshotLine>(snapshot, line.text, lineNo);
    if ('t' in entry) {
      if (entry.t === 'header') header = entry;
      else if (entry.t === 'schema') schema = entry.schema;
      else {
        ended = true;
        if (entry.lines !== count) throw new StateFileError(snapshot, `${count} rows and notes, the trailer says ${entry.lines}`);
      }
    } else if (entry.k === 'n') {
      notes.set(entry.note.id, entry.note);
      count += 1;
    } else {
      rows.set(rowKey(entry), entry);
      count += 1;
    }
  }
  if (!header || !schema || !ended) throw new StateFileError(snapshot, 'incomplete snapshot (no header, schema or trailer)');

  const journal = await replayJournal(path.join(dir, JOURNAL_FILE), header.generation, { rows, notes, schema });
  return { header, schema: journal.schema, rows, notes, journalBytes: journal.bytes, batches: journal.batches, tornTail: journal.tornTail };
}

interface Replay {
  schema: SavedSchema;
  bytes: number | undefined;
  batches: number;
  tornTail: boolean;
}

async function replayJournal(file: string, generation: number, state: { rows: Map<string, SavedRow>; notes: Map<string, NoteRow>; schema: SavedSchema }): Promise<Replay> {
  const out: Replay = { schema: state.schema, bytes: undefined, batches: 0, tornTail: false };
  if (!existsSync(file)) return out;
  let lineNo = 0;
  for await (const line of readLines(file)) {
    lineNo += 1;
    // Only the last line can be cut short by a crash (a write without its newline): dropped.
    if (!line.complete) {
      out.tornTail = true;
      break;
    }
    const entry = parse<JournalBatch | { t: 'header'; generation: number }>(file, line.text, lineNo);
    if (lineNo === 1) {
      // A journal of an older snapshot: everything in it is already in the newer snapshot.
      if (entry.t !== 'header' || entry.generation !== generation) return out;
      out.bytes = line.end;
      continue;
    }
    if (entry.t !== 'batch') throw new StateFileError(file, `line ${lineNo} is not a batch`);
    applyBatch(entry, state);
    if (entry.schema) out.schema = entry.schema;
    out.batches += 1;
    out.bytes = line.end;
  }
  return out;
}

function applyBatch(batch: JournalBatch, state: { rows: Map<string, SavedRow>; notes: Map<string, NoteRow> }): void {
  for (const row of batch.rows) state.rows.set(rowKey(row), row);
  for (const note of batch.notes) state.notes.set(note.id, note);
  for (const gone of batch.gone) {
    if (gone.k === 'n') state.notes.delete(gone.id);
    else state.rows.delete(rowKey(gone));
  }
}
