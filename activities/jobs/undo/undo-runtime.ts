import type { Sql } from '../../../shared/db/client.ts';
import { withTenant } from '../../../shared/db/scope.ts';
import type { S3Context } from '../../../shared/s3.ts';
import type { ImageValues, PairRuntime, PairUndo, PairWriteResult, PreparedInfo, TargetRef } from '../../pairs/pair.ts';
import { getNdjson } from '../archive.ts';
import type { ImageLine } from '../write-images.ts';

/** What an undo job asks for (jobs.options.undo). */
export interface UndoOptions {
  /** Restore or delete even records changed in the target since the job wrote them. */
  force: boolean;
  /** Read and classify only: nothing is written. */
  dryRun: boolean;
}

/** One record an undo takes back: what the job found there before, and what it wrote. */
export interface UndoItem {
  sourceId: string;
  target: TargetRef;
  created: boolean;
  before: ImageValues | null;
  after: ImageValues | null;
  /**
   * Other writes of the job on the same target record (two source records asserted onto one Attio
   * record, e.g. persons sharing an email): their after-images, and whether one of them created it.
   */
  sharedAfters: ImageValues[];
  createdByAnother: boolean;
}

interface IndexRow {
  object: string;
  source_id: string;
  target_object: string;
  target_id: string;
  created: boolean;
  before_key: string;
  after_key: string | null;
  seq: string;
}

/**
 * The runtime of an undo job: the engine runs it like any pair (batches, record log, retries,
 * heartbeats, continue-as-new, report), but its "source" is the image index of the job it takes
 * back (job_write_images, one object kind at a time) and its "write" takes one record back through
 * the pair's PairUndo. Every write is idempotent: a record already deleted (404) or already back to
 * its before-image is done, so a retried batch or a second undo changes nothing.
 */
export function createUndoRuntime(deps: {
  sql: Sql; s3: S3Context; tenantId: string; undoOf: string; options: UndoOptions; undo: PairUndo;
}): PairRuntime<UndoItem, PreparedInfo, null, UndoItem> {
  const { undo, options } = deps;

  async function readPage(object: string, cursor: string | null, o: { pageSize: number }) {
    // Ordered by the table's bigint, not by the text alias of the same name (text order puts '10000' before '9597').
    const rows = await withTenant(deps.sql, deps.tenantId, (tx) => tx<IndexRow[]>`
      select object, source_id, target_object, target_id, created, before_key, after_key, seq::text as seq from freight.job_write_images
      where job_id = ${deps.undoOf} and object = ${object} and target_id is not null and seq > ${cursor ?? '0'}::bigint
      order by job_write_images.seq limit ${o.pageSize}`);
    const shared = rows.length === 0 ? [] : await withTenant(deps.sql, deps.tenantId, (tx) => tx<IndexRow[]>`
      select object, source_id, target_object, target_id, created, before_key, after_key, seq::text as seq from freight.job_write_images
      where job_id = ${deps.undoOf} and target_id = any(${rows.map((r) => r.target_id)}) and (object, source_id) not in
        (select * from unnest(${rows.map((r) => r.object)}::text[], ${rows.map((r) => r.source_id)}::text[]))`);
    const files = new Map<string, Map<string, ImageLine>>();
    for (const key of new Set([...rows, ...shared].flatMap((r) => (r.after_key ? [r.before_key, r.after_key] : [r.before_key])))) {
      files.set(key, new Map((await getNdjson<ImageLine>(deps.s3, key)).map((line) => [line.sourceId, line])));
    }
    const afterOf = (r: IndexRow) => (r.after_key ? files.get(r.after_key)?.get(r.source_id)?.after : null) ?? null;
    const records = rows.map((r): UndoItem => {
      const others = shared.filter((x) => x.target_id === r.target_id && x.target_object === r.target_object && x.source_id !== r.source_id);
      // The state before the job is the before-image of its first write on the record (the lowest seq).
      const first = [r, ...others].reduce((a, b) => (BigInt(b.seq) < BigInt(a.seq) ? b : a));
      return {
        sourceId: r.source_id,
        target: { object: r.target_object, id: r.target_id },
        created: r.created,
        before: files.get(first.before_key)?.get(first.source_id)?.before ?? null,
        after: afterOf(r),
        sharedAfters: others.map(afterOf).filter((a): a is ImageValues => a !== null),
        createdByAnother: others.some((x) => x.created),
      };
    });
    const last = rows.at(-1);
    return { records, skipped: [], nextCursor: rows.length < o.pageSize || !last ? null : last.seq };
  }

  /** The attributes that differ, both versions (what a conflict lists). */
  function differences(current: ImageValues, written: ImageValues): string {
    const slugs = Object.keys(written).filter((slug) => !undo.same({ [slug]: current[slug] ?? [] }, { [slug]: written[slug] }));
    const pick = (image: ImageValues) => Object.fromEntries(slugs.map((slug) => [slug, image[slug] ?? []]));
    return JSON.stringify({ current: pick(current), written: pick(written) });
  }

  async function write(item: UndoItem, o: { signal: AbortSignal }): Promise<PairWriteResult> {
    const { target } = item;
    const done = (action: string): PairWriteResult => ({ target, action, warnings: [] });
    // What the job's writes set: what is compared, and what a restore puts back. The before-image
    // holds the record's every attribute (a first write may have set fewer than the last).
    // A record another of the job's writes created is deleted as that write's undo: nothing to restore here.
    if (!item.created && item.createdByAnother) return done('covered');
    const afters = [...(item.after ? [item.after] : []), ...item.sharedAfters];
    const slugs = [...new Set(afters.flatMap((a) => Object.keys(a)))];
    const current = await undo.read(target, slugs, o);
    if (current === null) return done('absent');
    // Changed since = unlike what any of the job's writes on this record left (the last one is among them).
    const pick = (image: ImageValues) => Object.fromEntries(Object.keys(image).map((slug) => [slug, current[slug] ?? []]));
    const changed = !options.force && afters.length > 0 && !afters.some((a) => undo.same(pick(a), a));
    const conflict = (): PairWriteResult => ({
      ...done('conflict'), conflict: `changed in the target since the job wrote it: ${differences(current, item.after ?? {})}`,
    });
    if (item.created) {
      if (changed) return conflict();
      if (options.dryRun) return done('would_delete');
      return done((await undo.remove(target, o)) ? 'deleted' : 'absent');
    }
    const before = Object.fromEntries(slugs.map((slug) => [slug, item.before?.[slug] ?? []]));
    if (undo.same(current, before)) return done('unchanged');
    if (changed) return conflict();
    if (options.dryRun) return done('would_restore');
    await undo.restore(target, before, o);
    return done('restored');
  }

  return {
    readPage,
    recordId: (item) => item.sourceId,
    prepare: () => Promise.resolve({ warnings: [], created: [] }),
    referencedKeys: () => [],
    resolveReferences: () => Promise.resolve(new Map()),
    context: () => null,
    map: (item) => ({ status: 'ok', write: item, notes: [], warnings: [] }),
    unresolvedNow: () => 0,
    write,
  };
}
