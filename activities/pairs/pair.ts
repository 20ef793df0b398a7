/**
 * The connector-pair boundary. The engine (job activities, workflow, record log, id map, reports,
 * budgets, HTTP client) is generic; everything one pair knows — its connectors, object kinds,
 * mapping, schema plan and verification — sits in activities/pairs/<pair-id>/ behind a PairModule,
 * registered once in registry.ts. Records, prepared schemas, mapping contexts and writes are opaque
 * to the engine: it stores records as JSON (claim check in S3) and hands them back to the pair.
 */
import type { Dispatcher } from 'undici';
import type { ConnectionCredentials } from '../../shared/connections/connection-model.ts';
import type { ErrorKind } from '../../shared/error-kinds.ts';
import type { JobCallPlan } from '../../shared/jobs/call-plan.ts';
import type { DiffClass, FieldChange } from '../../shared/jobs/dry-run-diff.ts';
import type { Logger } from '../../shared/logger.ts';
import type { OutboundPolicy } from '../../shared/outbound/outbound-policy.ts';
import type { PairData } from '../../shared/pairs/index.ts';
import type { Difference, PairReconciliation } from '../../shared/reconcile/reconcile-model.ts';
import type { BudgetRegistry } from '../connectors/budget/budget-registry.ts';
import type { IdMapStore, SourceKey, TargetRef } from '../connectors/id-map/id-map.ts';
import type { JobRow } from '../jobs/job-store.ts';
import type { ConnectorCheck } from './connection-check.ts';
import type { ConnectorLimits } from './limits.ts';

export type { ConnectionCredentials, ConnectorLimits, SourceKey, TargetRef };

/** A source record the source could not read (merged, gone): logged as skipped with its reason. */
export interface SkippedRecord {
  source: SourceKey;
  kind: ErrorKind;
  reason: string;
  details?: Record<string, unknown>;
}

export interface PairPage<Rec> {
  records: Rec[];
  skipped: SkippedRecord[];
  /** null when the object kind is exhausted. Short: it goes into workflow history. */
  nextCursor: string | null;
}

/** What `prepare` returns besides the pair's own data: counted and shown by the engine. */
export interface PreparedInfo {
  warnings: string[];
  /** Target schema items created by this call. */
  created: string[];
}

/**
 * A mapped record: a write, or the reason it is not written. `degraded` = the record is migrated in
 * a documented degraded form (logged as succeeded with these reasons, counted apart in the report).
 */
export type MapOutcome<W> =
  | { status: 'ok'; write: W; notes: string[]; warnings: string[]; degraded?: string[] }
  | { status: 'skip'; kind: 'not_found' | 'validation'; reason: string; notes: string[]; warnings: string[] };

export type WriteAction = 'created' | 'updated' | 'unchanged';

/**
 * What a write would do, found by reading the target only (a dry run): the class, the matched
 * target record, and for an update the fields that would change. `reason` explains a conflict or refusal.
 */
export interface PairPreview {
  class: Exclude<DiffClass, 'skipped'>;
  target?: TargetRef | null;
  changes?: FieldChange[];
  reason?: string;
}

export interface PairWriteResult {
  target: TargetRef;
  /** An undo's writes answer 'deleted', 'restored', 'absent', 'would_delete', 'would_restore' (see jobs/undo). */
  action: WriteAction | string;
  warnings: string[];
  degraded?: string[];
  /**
   * The after-image: the target's own view (as it answered the write) of the fields this write
   * sets, in the shape `readImage` reads back. One image, two users: a delta pass keeps it hashed
   * with the id map and compares it with the target's current view before updating; an undo keeps
   * it whole (job_write_images) and compares it with the target's view before restoring.
   * Absent: the write cannot be compared (notes, which are only ever created).
   */
  image?: ImageValues;
  /** The write was left out on purpose (an undo's conflict): logged as skipped, kind `conflict`, with this reason. */
  conflict?: string;
}

/** Attribute values as the target renders them (opaque to the engine; the pair compares and restores them). */
export type ImageValues = Record<string, unknown>;

/**
 * The before-image of one write (undo): read from the target ahead of the write and stored before it
 * goes out. `before: null` = nothing there for this source yet (the write creates it).
 */
/**
 * A before-image read that failed for one record (a 5xx, a 429 past the client's patience, a record-level
 * refusal): that record is not written in this attempt — its write must not go out without its image —
 * and the error is its outcome, as if its write had failed. Fatal errors (auth, config) are thrown instead.
 */
export interface BeforeReadFailure {
  error: unknown;
}

export interface WriteImage {
  source: SourceKey;
  /** The target record the write will change (null when it creates one). */
  target: TargetRef | null;
  before: ImageValues | null;
}

/**
 * What an undo job needs of a pair, per target record (issue 17): read its current state, delete
 * it, restore its before-image. A pair without it answers `undo_not_supported` (422).
 */
export interface PairUndo {
  /** The current values of `attributes` (all of them when empty); null when the record is gone. */
  read(target: TargetRef, attributes: readonly string[], o: { signal: AbortSignal }): Promise<ImageValues | null>;
  /** Same values as far as an undo is concerned (canonical comparison of what the pair writes). */
  same(a: ImageValues, b: ImageValues): boolean;
  /** Deletes the record; false when it was gone already (404 = done). */
  remove(target: TargetRef, o: { signal: AbortSignal }): Promise<boolean>;
  /** Writes the before-image back, replacing the values the job wrote. */
  restore(target: TargetRef, before: ImageValues, o: { signal: AbortSignal }): Promise<void>;
}

/**
 * One job's runtime of a pair, built by the pair's factory from the job's connections. Declared
 * with method syntax so a pair's concrete types (its records, writes) satisfy the engine's opaque ones.
 */
export interface PairRuntime<Rec = unknown, Prepared extends PreparedInfo = PreparedInfo, Ctx = unknown, Write = unknown> {
  /**
   * `changedSince` (first page only; later cursors carry it): read only records created or changed
   * since then, through a documented source-side filter. Only asked for objects in `changeFilters`.
   */
  readPage(object: string, cursor: string | null, o: { pageSize: number; signal: AbortSignal; changedSince?: Date }): Promise<PairPage<Rec>>;
  /**
   * Job objects whose source listing the pair can filter by change time (delta passes). A delta
   * reads them filtered, and then cannot tell their deletions: they are not reported for it.
   */
  changeFilters?: readonly string[];
  recordId(record: Rec): string;
  /** Reads the source schema and (unless a dry run) ensures the target's; cached per job by the engine. */
  prepare(o: { dryRun: boolean; signal?: AbortSignal }): Promise<Prepared>;
  /** Source keys the records point at (parents included), for one bulk `resolveReferences`. */
  referencedKeys(records: readonly Rec[], prepared: Prepared): SourceKey[];
  /** Target records of already-migrated source records (absent keys were not migrated). */
  resolveReferences(keys: readonly SourceKey[]): Promise<Map<string, TargetRef>>;
  /** The (pure) mapping context of a chunk: what `map` and `unresolvedNow` read. */
  context(prepared: Prepared, resolved: ReadonlyMap<string, TargetRef>): Ctx;
  map(record: Rec, ctx: Ctx): MapOutcome<Write>;
  /** References of the record that do not resolve with what is migrated so far. */
  unresolvedNow(record: Rec, ctx: Ctx): number;
  /** Optional bulk look-ups for a chunk's writes before they go out one by one (saves round trips only). */
  prepareWrites?(writes: readonly Write[], o: { signal: AbortSignal }): Promise<void>;
  /**
   * One idempotent write (a repeat after a crash creates nothing twice). `rewrite`: the references
   * pass writes a record again because what it points at is migrated now; a target object that
   * cannot be edited in place may then be replaced. `overwrite`: a delta pass updates a record Freight
   * created and found unedited in the target since (or a conflict it takes the source for): the
   * write replaces what the target holds (values removed at the source go) instead of merging into it.
   */
  write(write: Write, o: { signal: AbortSignal; rewrite?: boolean; overwrite?: boolean }): Promise<PairWriteResult>;
  /**
   * Dry run: what `write` would do, through the target's documented read API only (the same matching
   * as `write`); writes nothing. A pair without it keeps the plain dry run (records logged `dry_run`).
   */
  preview?(write: Write, o: { signal: AbortSignal }): Promise<PairPreview>;
  /**
   * Delta passes (pairs whose data sets `delta`): the id-map key of a source record of a job
   * object, under which its content hash and after-image hash are kept.
   */
  sourceKey?(object: string, record: Rec): SourceKey;
  /** Delta passes: the target's current view of the fields `write` sets on `target` (null: gone), comparable with a write's `image`. */
  readImage?(write: Write, target: TargetRef, o: { signal: AbortSignal }): Promise<ImageValues | null>;
  /** Delta passes: the values a write would set, listed beside the target's in a conflict. */
  writeValues?(write: Write): unknown;
  /**
   * The before-images of a chunk's writes, one per write in order (undo). Costs the target reads
   * it needs; absent for pairs that cannot be undone.
   */
  readBefore?(writes: readonly Write[], o: { signal: AbortSignal }): Promise<(WriteImage | BeforeReadFailure)[]>;
  /** The target side of an undo of this pair's writes; absent when the pair cannot undo. */
  undo?: PairUndo;
}

export interface PairRuntimeDeps {
  job: JobRow;
  source: ConnectionCredentials;
  target: ConnectionCredentials;
  /** The connections' base URLs, checked again against the outbound policy. */
  sourceUrl: string;
  targetUrl: string;
  /** Source id → target id of this connection pair (cached per job). */
  idMap: IdMapStore;
  budgets: BudgetRegistry;
  dispatcher: Dispatcher;
  /** A logger bound to the tenant, job and connection. */
  logger: (connectionId: string) => Logger;
  limits: ConnectorLimits;
  /** The caller's cancellation, read at each call. */
  signal: () => AbortSignal | undefined;
}

/** What a pair's reconciliation gets: the job's connections (as its runtime does) and where differences go. */
export interface PairReconcileDeps extends PairRuntimeDeps {
  /** `object:sourceId` (job object kinds) of records the job logged as skipped: absent on purpose, not a difference. */
  skipped: ReadonlySet<string>;
  /** Every difference found (object = the job's object kind); the engine adds the record log's reasons. */
  onDifference: (difference: Difference) => void;
}

/** What the API needs of a pair at job creation. */
export interface PairPlanDeps {
  credentials: (tenantId: string, connectionId: string) => Promise<ConnectionCredentials>;
  outbound: { policy: OutboundPolicy; dispatcher: Dispatcher };
  budgets: BudgetRegistry;
  logger: Logger;
  /** The configured connector limits (config.connectors): the pace of the plan's own calls, and what its ETA assumes. */
  limits?: ConnectorLimits;
  now?: () => number;
}

export interface PairModule {
  data: PairData;
  createRuntime(deps: PairRuntimeDeps): PairRuntime;
  /** The source-API call plan of a job about to be created (quota, ETA). */
  createPlanner?(deps: PairPlanDeps): (input: { tenantId: string; sourceConnectionId: string; objects: readonly string[] }) => Promise<JobCallPlan>;
  /** Checks a job's mapping overrides (throws a ZodError or ValidationError), so a bad one fails at creation. */
  validateMapping?(overrides: Record<string, unknown>): void;
  /**
   * The connection check of each of the pair's connector types, by type (POST /v1/connections/{id}/test
   * and job creation). A type two pairs share is checked by the first pair in the registry that has one.
   */
  checks?: Readonly<Partial<Record<string, ConnectorCheck>>>;
  /**
   * Compares a finished job's source and target through the vendors' documented APIs only
   * (counts per object, missing, duplicated, field mismatches, dangling references). A pair without
   * one answers "not supported" to a reconciliation.
   */
  reconcile?(deps: PairReconcileDeps): Promise<PairReconciliation>;
}

/** The string secret `name` of a connection's credentials (a pair reads its own type's shape). */
export function secretOf(credentials: ConnectionCredentials, name: string): string {
  const value = credentials[name];
  if (typeof value !== 'string') throw new Error(`${credentials.type} connection has no ${name}`);
  return value;
}
