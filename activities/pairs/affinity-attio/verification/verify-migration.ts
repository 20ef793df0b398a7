import type { Difference } from '../../../../shared/reconcile/reconcile-model.ts';
import type { AffinitySource } from '../affinity/affinity-source.ts';
import type { AffinityObjectKind } from '../affinity/affinity-types.ts';
import type { IdMapStore, TargetRef } from '../connector-types.ts';
import { mapRecord, parseNoteMarker, planSchema, referencedKeys, type MapContext, type MappingConfig } from '../mapping/index.ts';
import type { AttioRecordRow, AttioSnapshot, AttioTargetReader, AttioValues } from './attio-snapshot.ts';
import { canonicalRendered, canonicalWritten } from './compare-values.ts';
import { countLinks, linkSpecs, type LinkCount } from './link-counts.ts';
import { checkReferences, groupBy, indexUniqueValues, readAll, sameSet } from './verify-helpers.ts';

export interface KindReport {
  /** Source records the mapping says should be in the target. */
  expected: number;
  /** …found exactly once. */
  present: number;
  missing: number;
  /** Logged as failed/skipped by the migration: absent on purpose. */
  absentAsLogged: number;
  duplicates: number;
  /** Target rows carrying a Freight source id that no source record accounts for. */
  unexpected: number;
  /**
   * Target rows without any Freight marker (source id attribute, note marker, entry id): written by
   * someone else in the customer's workspace. Not compared and not a failure; counted for the record.
   */
  foreign: number;
  mismatches: number;
  examples: string[];
}

export interface VerificationReport {
  ok: boolean;
  kinds: Record<string, KindReport>;
  references: { checked: number; dangling: number };
  /** Associations (person → company, deal → company / people) as the source gives them, in the target. */
  links: Record<string, LinkCount>;
  /** Rows read from the target, per object / in all lists / notes (Freight's and foreign). */
  target: { records: Record<string, number>; entries: number; notes: number };
}

export interface VerifyOptions {
  /** Read the way the job reads it (the source connector), so the source's v1/v2 choices flow through. */
  source: Pick<AffinitySource, 'readPage' | 'readFieldSchema'>;
  /** The Attio side: read by `readTarget` (public API or sandbox inspection) for the plan's objects and lists, or given. */
  target: AttioSnapshot | AttioTargetReader;
  /**
   * Freight's id map (source key → target record) of the connection pair, or what the job's record
   * log holds. Given, references are expected where the id map says Freight wrote them (exactly as
   * the job resolved them) and each record found must be the one the id map names; absent, the
   * source-id attribute on the target rows stands in for it (the plain script, unit tests).
   */
  written?: Pick<IdMapStore, 'get'>;
  config: MappingConfig;
  now: Date;
  defaultActorId: string | null;
  /** `kind:id` of records the migration logged as failed or skipped. */
  expectedAbsent?: ReadonlySet<string>;
  pageSize?: number;
  maxExamples?: number;
  /** The source kinds to compare (default: every kind); a job that moved some kinds is compared on those. */
  kinds?: readonly AffinityObjectKind[];
  /**
   * Every difference, one call each (a reconciliation lists them all; `examples` keep only a few).
   * `object` is the verification kind (`person`, `list_entry`, …).
   */
  onDifference?: (difference: Difference) => void;
}

const emptyKind = (): KindReport => ({ expected: 0, present: 0, missing: 0, absentAsLogged: 0, duplicates: 0, unexpected: 0, foreign: 0, mismatches: 0, examples: [] });

const OBJECT_KINDS = ['organization', 'person', 'opportunity'] as const;
const SOURCE_KIND = { organization: 'organizations', person: 'persons', opportunity: 'opportunities' } as const;

/**
 * Compares the Affinity side (re-read through the source connector and re-mapped with the same
 * mapping) with the Attio side (read by `target`): every record present exactly once, every
 * mapped value equal, every reference pointing at an existing record, and every association the
 * source names (person → company, deal → company / people) pointing at the right record. Records
 * are found on the Attio side by the source-id attribute / note marker / entry-id attribute, never
 * by the id map alone, so a wrong id map cannot hide a duplicate; rows without any such marker are
 * someone else's (a customer's own records) and only counted.
 */
export async function verifyMigration(options: VerifyOptions): Promise<VerificationReport> {
  const { config } = options;
  const maxExamples = options.maxExamples ?? 5;
  const kinds: Record<string, KindReport> = {};
  const links: Record<string, LinkCount> = {};
  const report = (kind: string): KindReport => (kinds[kind] ??= emptyKind());
  const example = (r: KindReport, text: string): void => {
    if (r.examples.length < maxExamples) r.examples.push(text);
  };
  const emit = (d: Pick<Difference, 'kind' | 'object'> & Partial<Difference>): void => options.onDifference?.({
    sourceId: null, targetIds: [], field: null, expected: null, actual: null, reason: null, ...d,
  });

  const schema = await options.source.readFieldSchema();
  const planned = planSchema(schema, config);
  const objectOf = { organization: config.organization.object, person: config.person.object, opportunity: config.opportunity.object } as const;
  const snapshot = typeof options.target === 'function'
    ? await options.target({ objects: Object.values(objectOf), lists: planned.plan.lists.map((l) => l.slug) })
    : options.target;

  const bySourceId = new Map<string, Map<string, AttioRecordRow[]>>();
  for (const [object, rows] of snapshot.records) {
    bySourceId.set(object, groupBy(rows, (row) => {
      const id = row.values[config.sourceIdAttribute]?.[0]?.value;
      return typeof id === 'string' ? id : '';
    }));
  }
  const fromTarget = (key: { kind: string; id: string }): TargetRef | undefined => {
    const object = objectOf[key.kind as keyof typeof objectOf];
    const row = object ? bySourceId.get(object)?.get(key.id)?.[0] : undefined;
    return row && object ? { object, id: row.id.record_id } : undefined;
  };
  const uniqueOwners = indexUniqueValues(snapshot, config);
  const specs = linkSpecs(config);
  const notesByMarker = groupBy(snapshot.notes, (n) => parseNoteMarker(n.title) ?? '');
  const entriesById = new Map([...snapshot.entries].map(([list, rows]) => [list, groupBy(rows, (e) => String(e.entry_values[config.list.entryIdAttribute]?.[0]?.value ?? ''))]));
  const seen = new Map<string, Set<string>>();
  const see = (group: string, id: string): void => void (seen.get(group) ?? seen.set(group, new Set()).get(group))?.add(id);

  const kindsToRead = options.kinds ?? ['organizations', 'persons', 'opportunities', 'list_entries', 'notes'];
  for (const kind of kindsToRead) {
    for await (const records of readAll(options.source, kind, options.pageSize ?? 500)) {
      // One id-map round trip per page, for the references the mappers resolve and the records themselves.
      const mapped = options.written
        ? await options.written.get([...referencedKeys(records, planned.fields), ...records.map((r) => ({ kind: r.kind, id: r.id }))])
        : null;
      const resolve = mapped ? (key: { kind: string; id: string }) => mapped.get(`${key.kind}:${key.id}`) : fromTarget;
      const ctx: MapContext = { config, fields: planned.fields, resolve, now: options.now, defaultActorId: options.defaultActorId };
      for (const record of records) {
        const outcome = mapRecord(record, ctx);
        if (outcome.status === 'skip') continue;
        const r = report(record.kind);
        r.expected += 1;
        const key = `${record.kind}:${record.id}`;
        const w = outcome.write;
        let rows: Array<{ values: AttioValues; describe: string; check?: () => string | null }> = [];
        if (w.kind === 'record') {
          rows = (bySourceId.get(w.write.object)?.get(record.id) ?? []).map((row) => ({ values: row.values, describe: row.id.record_id }));
          see(w.write.object, record.id);
        } else if (w.kind === 'note') {
          rows = (notesByMarker.get(record.id) ?? []).map((n) => ({
            values: {},
            describe: n.id.note_id,
            check: () => (n.parent_record_id !== w.write.parent.id ? `parent ${n.parent_record_id} ≠ ${w.write.parent.id}`
              // A plaintext note is compared as plain text: Attio's markdown rendering of it may escape characters.
              : (w.write.format === 'plaintext' ? n.content_plaintext : n.content_markdown) !== w.write.content ? 'content differs'
              : n.title !== w.write.title ? 'title differs'
              : w.write.createdAt && n.created_at !== w.write.createdAt ? `created_at ${n.created_at} ≠ ${w.write.createdAt}` : null),
          }));
          see('notes', record.id);
        } else {
          rows = (entriesById.get(w.write.list)?.get(record.id) ?? []).map((e) => ({
            values: e.entry_values,
            describe: e.id.entry_id,
            check: () => (e.parent_record_id !== w.write.parent.id ? `parent ${e.parent_record_id} ≠ ${w.write.parent.id}` : null),
          }));
          see(w.write.list, record.id);
        }
        if (rows.length === 0) {
          if (options.expectedAbsent?.has(key)) r.absentAsLogged += 1;
          else {
            r.missing += 1;
            example(r, `missing ${key}`);
            emit({ kind: 'missing', object: record.kind, sourceId: record.id });
          }
          continue;
        }
        if (rows.length > 1) {
          r.duplicates += 1;
          example(r, `${key} present ${rows.length} times: ${rows.map((x) => x.describe).join(', ')}`);
          emit({ kind: 'duplicate', object: record.kind, sourceId: record.id, targetIds: rows.map((x) => x.describe) });
          continue;
        }
        r.present += 1;
        const row = rows[0] as (typeof rows)[number];
        const problems: string[] = [];
        const mismatch = (d: Partial<Difference>): void => emit({ kind: 'mismatch', object: record.kind, sourceId: record.id, targetIds: [row.describe], ...d });
        const held = mapped?.get(key);
        if (mapped && held?.id !== row.describe) {
          problems.push(held ? `id map names ${held.id}, found ${row.describe}` : 'not in the id map');
          mismatch({ reason: problems.at(-1) ?? null });
        }
        const extra = row.check?.();
        if (extra) {
          problems.push(extra);
          mismatch({ reason: extra });
        }
        const values = w.kind === 'note' ? {} : w.write.values;
        for (const [slug, value] of Object.entries(values)) {
          const want = canonicalWritten(value);
          const have = canonicalRendered(row.values, slug);
          if (sameSet(want, have)) continue;
          // A unique value (email, domain) shared with another source record stays with its first owner.
          const owners = uniqueOwners.get(slug);
          const unexplained = want.filter((v) => !have.includes(v) && !(owners?.has(v)));
          if (owners && unexplained.length === 0 && have.every((v) => want.includes(v))) continue;
          problems.push(`${slug}: expected ${want.join(' | ')} got ${have.join(' | ')}`);
          mismatch({ field: slug, expected: want.join(' | '), actual: have.join(' | ') });
        }
        if (problems.length > 0) {
          r.mismatches += 1;
          example(r, `${key} (${row.describe}): ${problems.join('; ')}`);
        }
        const recordSpecs = specs[record.kind];
        if (recordSpecs) {
          countLinks({
            record, values: row.values, specs: recordSpecs, resolve, counts: links, maxExamples,
            onDifference: (d) => emit({ ...d, object: record.kind, sourceId: record.id, targetIds: [row.describe] }),
          });
        }
      }
    }
  }

  // Target rows no source record accounts for: Freight's (a source id we did not expect) or foreign.
  // Only kinds that were read can account for their rows (a job that moved companies alone is not asked about people).
  const read = new Set<string>(kindsToRead);
  for (const kind of OBJECT_KINDS) {
    if (!read.has(SOURCE_KIND[kind])) continue;
    const object = objectOf[kind];
    for (const [sourceId, rows] of bySourceId.get(object) ?? []) {
      if (sourceId === '') report(kind).foreign += rows.length;
      else if (!seen.get(object)?.has(sourceId)) {
        report(kind).unexpected += rows.length;
        example(report(kind), `unexpected ${object} row(s) ${rows.map((x) => x.id.record_id).join(', ')} (source id "${sourceId}")`);
        emit({ kind: 'unexpected', object: kind, sourceId, targetIds: rows.map((x) => x.id.record_id), reason: `no ${kind} ${sourceId} in the source` });
      }
    }
  }
  for (const [marker, notes] of read.has('notes') ? notesByMarker : []) {
    if (marker === '') report('note').foreign += notes.length;
    else if (!seen.get('notes')?.has(marker)) {
      report('note').unexpected += notes.length;
      example(report('note'), `unexpected note(s) ${notes.map((n) => n.id.note_id).join(', ')}`);
      emit({ kind: 'unexpected', object: 'note', sourceId: marker, targetIds: notes.map((n) => n.id.note_id), reason: `no note ${marker} in the source` });
    }
  }
  for (const [list, byId] of read.has('list_entries') ? entriesById : []) {
    for (const [entryId, entries] of byId) {
      if (entryId === '') report('list_entry').foreign += entries.length;
      else if (!seen.get(list)?.has(entryId)) {
        report('list_entry').unexpected += entries.length;
        example(report('list_entry'), `unexpected ${list} entr(ies) ${entries.map((e) => e.id.entry_id).join(', ')}`);
        emit({ kind: 'unexpected', object: 'list_entry', sourceId: entryId, targetIds: entries.map((e) => e.id.entry_id), reason: `no entry ${entryId} in the source` });
      }
    }
  }

  const references = checkReferences(snapshot, (d) => emit({ kind: 'dangling_reference', ...d }));
  const linksOk = Object.values(links).every((l) => l.wrong === 0 && l.missing === 0);
  const ok = linksOk && references.dangling === 0
    && Object.values(kinds).every((k) => k.missing === 0 && k.duplicates === 0 && k.unexpected === 0 && k.mismatches === 0);
  const target = {
    records: Object.fromEntries([...snapshot.records].map(([object, rows]) => [object, rows.length])),
    entries: [...snapshot.entries.values()].reduce((n, rows) => n + rows.length, 0),
    notes: snapshot.notes.length,
  };
  return { ok, kinds, references, links, target };
}
