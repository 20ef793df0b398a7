import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { ordered } from '../workspace/paging.ts';
import type { AttributeContainer, WorkspaceChanges } from '../workspace/types.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { openJournal, writeFileAtomic, type Journal } from './files.ts';
import {
  FORMAT_VERSION, JOURNAL_FILE, sameFingerprint, saveEntry, saveRecord, saveSchema, SNAPSHOT_FILE,
  type JournalBatch, type SnapshotHeader,
} from './format.ts';
import { loadState, readHeader } from './load.ts';
import { restoreWorkspace } from './restore.ts';

/**
 * Keeps a workspace in a folder across restarts. A snapshot holds the whole workspace; an append-only
 * journal after it holds the current state of every row, note and schema that changed, written in one
 * line per batch at most `flushMs` after the change (a killed process loses at most that much) and
 * fsynced in the background. Batches carry states, not operations, so replay is idempotent and needs
 * none of the write logic. Once the journal outgrows the snapshot (or 64 MiB) it is compacted into a
 * new snapshot; a reset writes a new snapshot at once.
 */
export interface PersistOptions {
  dir: string;
  /**
   * What the saved state belongs to (main.ts: the Affinity generator's seed, size and poison rate). A
   * state saved for another fingerprint is moved aside to `discarded-<time>/` and the workspace starts
   * empty: target data written from another source account would only mislead a resumed job.
   */
  fingerprint?: Record<string, unknown>;
  /** Longest a change waits before it is written (default 100 ms). */
  flushMs?: number;
  /** Smallest journal that is compacted (default 64 MiB; the snapshot's size when larger). */
  compactBytes?: number;
  logger?: Logger;
}

export interface WorkspacePersistence {
  /** What was loaded; undefined when the workspace started empty. */
  restored: { records: number; entries: number; notes: number } | undefined;
  /** Writes what changed now (also run by a timer `flushMs` after a change). */
  flush(): void;
  /** Final flush; closes the journal. */
  close(): void;
}

export const DEFAULT_FLUSH_MS = 100;
const DEFAULT_COMPACT_BYTES = 64 * 1024 * 1024;

/** Loads the saved state into `ws` (or saves a first snapshot of it) and starts recording its changes. */
export async function persistWorkspace(ws: Workspace, options: PersistOptions): Promise<WorkspacePersistence> {
  const { dir, logger } = options;
  const fingerprint = options.fingerprint ?? {};
  const flushMs = options.flushMs ?? DEFAULT_FLUSH_MS;
  const minCompact = options.compactBytes ?? DEFAULT_COMPACT_BYTES;
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) if (name.endsWith('.tmp')) rmSync(path.join(dir, name), { force: true });

  let generation = 0;
  let journal: Journal | undefined;
  let compactAt = minCompact;
  let restored: WorkspacePersistence['restored'];
  const onError = (err: Error) => logger?.error({ err, dir }, 'attio sandbox: could not sync its state journal');

  const header = await readHeader(dir);
  const stale = header && staleReason(header, fingerprint);
  if (stale) discard(dir, stale, logger);
  if (header && !stale) {
    const loaded = await loadState(dir);
    const counts = restoreWorkspace(ws, { schema: loaded.schema, rows: loaded.rows.values(), notes: loaded.notes.values() });
    restored = { records: counts.records, entries: counts.entries, notes: counts.notes };
    generation = loaded.header.generation;
    if (loaded.tornTail) logger?.warn({ dir }, 'attio sandbox: dropped a half-written last line of the state journal');
    if (counts.skipped > 0) logger?.warn({ dir, skipped: counts.skipped }, 'attio sandbox: saved rows of unknown objects or lists were skipped');
    journal = loaded.journalBytes === undefined
      ? openJournal(path.join(dir, JOURNAL_FILE), { header: journalHeader(generation), onError })
      : openJournal(path.join(dir, JOURNAL_FILE), { keepBytes: loaded.journalBytes, onError });
    logger?.info({ dir, ...restored, journalBatches: loaded.batches }, 'attio sandbox: workspace loaded from its state folder');
  }

  const dirty = new Map<AttributeContainer, Set<string>>();
  const dirtyNotes = new Set<string>();
  let schemaDirty = false;
  let resetPending = false;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  function compact(): void {
    const next = generation + 1;
    const head: SnapshotHeader = { t: 'header', format: FORMAT_VERSION, generation: next, fingerprint, savedAt: new Date(ws.now()).toISOString() };
    let count = 0;
    function* lines(): Generator<string> {
      yield JSON.stringify(head);
      yield JSON.stringify({ t: 'schema', schema: saveSchema(ws) });
      for (const store of ws.objects.values()) {
        for (const row of ordered(store, store.records)) {
          count += 1;
          yield JSON.stringify(saveRecord(store, row));
        }
      }
      for (const list of ws.lists.values()) {
        for (const entry of ordered(list, list.entries)) {
          count += 1;
          yield JSON.stringify(saveEntry(list, entry));
        }
      }
      for (const note of ws.notes.order) {
        count += 1;
        yield JSON.stringify({ k: 'n', note });
      }
      yield JSON.stringify({ t: 'end', lines: count });
    }
    const bytes = writeFileAtomic(path.join(dir, SNAPSHOT_FILE), lines());
    // From here the new snapshot is the state; the old journal (older generation) is ignored on load.
    generation = next;
    journal?.close();
    journal = openJournal(path.join(dir, JOURNAL_FILE), { header: journalHeader(generation), onError });
    compactAt = Math.max(minCompact, bytes);
    dirty.clear();
    dirtyNotes.clear();
    schemaDirty = false;
    resetPending = false;
    logger?.debug({ dir, bytes, generation }, 'attio sandbox: state snapshot written');
  }

  function batch(): JournalBatch | undefined {
    if (!schemaDirty && dirty.size === 0 && dirtyNotes.size === 0) return undefined;
    const out: JournalBatch = { t: 'batch', rows: [], notes: [], gone: [] };
    if (schemaDirty) out.schema = saveSchema(ws);
    for (const [container, ids] of dirty) {
      const slug = container.slug;
      if (container.kind === 'objects') {
        const store = ws.objects.get(slug);
        if (store?.container !== container) continue;
        for (const id of ids) {
          const row = store.records.get(id);
          if (row) out.rows.push(saveRecord(store, row));
          else out.gone.push({ k: 'r', o: slug, id });
        }
      } else {
        const list = ws.lists.get(slug);
        if (list?.container !== container) continue;
        for (const id of ids) {
          const entry = list.entries.get(id);
          if (entry) out.rows.push(saveEntry(list, entry));
          else out.gone.push({ k: 'e', l: slug, id });
        }
      }
    }
    for (const id of dirtyNotes) {
      const note = ws.notes.byId.get(id);
      if (note) out.notes.push(note);
      else out.gone.push({ k: 'n', id });
    }
    return out;
  }

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (resetPending) return compact();
    const next = batch();
    if (!next || !journal) return;
    // Marks are cleared only once the batch is written: a failed write is retried by the next flush.
    journal.append(JSON.stringify(next));
    dirty.clear();
    dirtyNotes.clear();
    schemaDirty = false;
    if (journal.bytes > compactAt) compact();
  }

  const schedule = () => {
    if (timer || closed) return;
    timer = setTimeout(() => {
      try {
        flush();
      } catch (err) {
        logger?.error({ err, dir }, 'attio sandbox: could not save its state (will retry with the next change)');
      }
    }, flushMs);
    // The HTTP server keeps the process alive; a pending flush must not (close() flushes).
    timer.unref();
  };
  const changes: WorkspaceChanges = {
    row(container, id) {
      let ids = dirty.get(container);
      if (!ids) dirty.set(container, (ids = new Set()));
      ids.add(id);
      schedule();
    },
    note(id) {
      dirtyNotes.add(id);
      schedule();
    },
    schema() {
      schemaDirty = true;
      schedule();
    },
    reset() {
      // Saved before the reset request is answered: a test that resets and restarts must find it empty.
      resetPending = true;
      if (!closed) flush();
    },
  };

  if (!journal) {
    compact();
    logger?.info({ dir }, 'attio sandbox: workspace starts empty; its state is kept in this folder');
  } else if (journal.bytes > compactAt) compact();
  ws.changes = changes;

  return {
    restored,
    flush,
    close() {
      if (closed) return;
      flush();
      closed = true;
      ws.changes = undefined;
      journal?.close();
    },
  };
}

const journalHeader = (generation: number) => JSON.stringify({ t: 'header', format: FORMAT_VERSION, generation });

function staleReason(header: SnapshotHeader, fingerprint: Record<string, unknown>): string | undefined {
  if (header.format !== FORMAT_VERSION) return `it was saved in format ${header.format}, this sandbox reads format ${FORMAT_VERSION}`;
  if (!sameFingerprint(header.fingerprint, fingerprint)) {
    const show = (f: Record<string, unknown>) => Object.entries(f).map(([k, v]) => `${k}=${String(v)}`).join(' ') || 'no fingerprint';
    return `it was saved for ${show(header.fingerprint)}, this sandbox runs ${show(fingerprint)}`;
  }
  return undefined;
}

/** Moves a state that does not fit aside (never deletes it) and says so. */
function discard(dir: string, reason: string, logger: Logger | undefined): void {
  const aside = path.join(dir, `discarded-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(aside, { recursive: true });
  for (const name of [SNAPSHOT_FILE, JOURNAL_FILE]) if (existsSync(path.join(dir, name))) renameSync(path.join(dir, name), path.join(aside, name));
  logger?.warn({ dir, movedTo: aside }, `attio sandbox: not loading the saved workspace (${reason}); starting empty`);
}
