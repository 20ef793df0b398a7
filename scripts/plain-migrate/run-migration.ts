import type { AffinitySource } from '../../activities/pairs/affinity-attio/affinity/affinity-source.ts';
import type { AffinityObjectKind, AffinityRecord } from '../../activities/pairs/affinity-attio/affinity/affinity-types.ts';
import { mapWithConcurrency } from '../../activities/connectors/concurrency.ts';
import { isConnectorError } from '../../activities/connectors/connector-error.ts';
import type { SourceKey, TargetConnector, WriteResult } from '../../activities/pairs/affinity-attio/connector-types.ts';
import { mapRecord, MIGRATION_ORDER, planSchema, referencedKeys, resolverFrom, type MapContext, type MappingConfig } from '../../activities/pairs/affinity-attio/mapping/index.ts';
import { isRecordLevelKind, SKIP_ERROR_KINDS } from '../../shared/error-kinds.ts';
import { addToSummary, emptySummary, type KindSummary, type RecordLogLine } from './record-log.ts';
import { withRetry } from './with-retry.ts';

export interface MigrationOptions {
  run: number;
  source: AffinitySource;
  target: TargetConnector;
  config: MappingConfig;
  pageSize: number;
  /** Records written concurrently within a page. */
  concurrency: number;
  now: Date;
  onRecord?: (line: RecordLogLine) => void;
  /** Called once the schema is ensured (tests switch fault injection on here). */
  afterSchema?: () => void;
}

export interface MigrationResult {
  kinds: Partial<Record<AffinityObjectKind | 'references', KindSummary>>;
  schemaCreated: number;
  /** Target list id by slug, and the default deal owner, as ensured. */
  lists: Record<string, string>;
  defaultActorId: string | null;
  seconds: number;
}

/** A record written while some record it references was not migrated yet (ids only: small). */
interface Pending {
  kind: 'organization' | 'person' | 'opportunity';
  id: string;
  unresolved: SourceKey[];
}

/**
 * The plain "read page → map → write → record" loop over the connectors, in dependency order,
 * without Temporal. Record-level failures are logged and the loop goes on; retryable ones are
 * retried; anything else (auth, config, quota) stops the run.
 */
export async function runMigration(options: MigrationOptions): Promise<MigrationResult> {
  const { source, target, config, run } = options;
  const started = performance.now();
  const schema = await withRetry(() => source.readFieldSchema());
  const planned = planSchema(schema, config);
  const ensured = await withRetry(() => target.ensureSchema(planned.plan));
  options.afterSchema?.();
  const kinds: MigrationResult['kinds'] = {};
  const pending: Pending[] = [];

  for (const kind of MIGRATION_ORDER) {
    if (kind === 'lists') continue; // created by ensureSchema
    const summary = emptySummary();
    kinds[kind] = summary;
    const kindStarted = performance.now();
    let cursor: string | null = null;
    do {
      const page = await withRetry(() => source.readPage(kind, cursor, { pageSize: options.pageSize }));
      summary.read += page.records.length + page.skipped.length;
      for (const s of page.skipped) {
        const line: RecordLogLine = { run, kind: s.source.kind, sourceId: s.source.id, status: 'skipped', errorKind: s.kind, message: s.reason, attempts: 1 };
        addToSummary(summary, line);
        options.onRecord?.(line);
      }
      const resolved = await withRetry(() => target.resolveReferences(referencedKeys(page.records, planned.fields)));
      const ctx: MapContext = { config, fields: planned.fields, resolve: resolverFrom(resolved), now: options.now, defaultActorId: ensured.defaultActor?.id ?? null };
      await mapWithConcurrency(page.records, options.concurrency, async (record) => {
        const { line, unresolved } = await migrateOne(record, ctx, target, run);
        addToSummary(summary, line);
        options.onRecord?.(line);
        if (unresolved.length > 0 && (record.kind === 'organization' || record.kind === 'person' || record.kind === 'opportunity')) {
          pending.push({ kind: record.kind, id: record.id, unresolved });
        }
      });
      cursor = page.nextCursor;
    } while (cursor !== null);
    summary.seconds = (performance.now() - kindStarted) / 1000;
  }

  // Organizations and persons reference each other: re-write the records whose references are
  // resolvable now that every kind is migrated (orphaned ids stay unresolved and are not retried).
  const refStarted = performance.now();
  const refSummary = emptySummary();
  kinds.references = refSummary;
  const nowResolved = await withRetry(() => target.resolveReferences(pending.flatMap((p) => p.unresolved)));
  const fixable = pending.filter((p) => p.unresolved.some((k) => nowResolved.has(`${k.kind}:${k.id}`)));
  for (let i = 0; i < fixable.length; i += options.pageSize) {
    const records = await mapWithConcurrency(fixable.slice(i, i + options.pageSize), options.concurrency, (p) => withRetry(() => source.readRecord(p.kind, p.id)));
    refSummary.read += records.length;
    const resolved = await withRetry(() => target.resolveReferences(referencedKeys(records, planned.fields)));
    const ctx: MapContext = { config, fields: planned.fields, resolve: resolverFrom(resolved), now: options.now, defaultActorId: ensured.defaultActor?.id ?? null };
    await mapWithConcurrency(records, options.concurrency, async (record) => {
      const { line } = await migrateOne(record, ctx, target, run);
      addToSummary(refSummary, line);
      options.onRecord?.({ ...line, notes: [...(line.notes ?? []), 'references pass'] });
    });
  }
  refSummary.seconds = (performance.now() - refStarted) / 1000;
  return { kinds, schemaCreated: ensured.created.length, lists: ensured.lists, defaultActorId: ensured.defaultActor?.id ?? null, seconds: (performance.now() - started) / 1000 };
}

async function migrateOne(record: AffinityRecord, ctx: MapContext, target: TargetConnector, run: number): Promise<{ line: RecordLogLine; unresolved: SourceKey[] }> {
  const outcome = mapRecord(record, ctx);
  const line = await writeOne(record, outcome, target, run);
  return { line, unresolved: outcome.status === 'ok' && line.status !== 'failed' ? (outcome.unresolved ?? []) : [] };
}

async function writeOne(record: AffinityRecord, outcome: ReturnType<typeof mapRecord>, target: TargetConnector, run: number): Promise<RecordLogLine> {
  const base = { run, kind: record.kind, sourceId: record.id };
  if (outcome.status === 'skip') {
    return { ...base, status: 'skipped', errorKind: outcome.kind, message: outcome.reason, notes: outcome.notes, warnings: outcome.warnings, attempts: 0 };
  }
  let attempts = 0;
  try {
    const result = await withRetry((): Promise<WriteResult> => {
      attempts += 1;
      const w = outcome.write;
      if (w.kind === 'record') return target.upsertRecord(w.write);
      if (w.kind === 'note') return target.createNote(w.write);
      return target.addListEntry(w.write);
    });
    return {
      ...base, status: result.action, targetId: result.target.id, notes: outcome.notes,
      warnings: [...outcome.warnings, ...result.warnings], attempts,
    };
  } catch (error) {
    if (isConnectorError(error) && isRecordLevelKind(error.kind)) {
      return {
        ...base, status: SKIP_ERROR_KINDS.includes(error.kind) ? 'skipped' : 'failed', errorKind: error.kind,
        message: error.message, notes: outcome.notes, warnings: outcome.warnings, attempts,
      };
    }
    throw error;
  }
}
