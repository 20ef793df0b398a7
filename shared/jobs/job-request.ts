import { createHash } from 'node:crypto';
import { ERROR_KINDS } from '../error-kinds.ts';
import { ValidationError } from '../errors.ts';
import { ALL_OBJECT_KINDS, ALL_PHASE_NAMES, PAIRS, pairObjects, phaseOf, type PairData } from '../pairs/index.ts';
import type { JobRetryPolicy } from '../../workflows/migration-job/definitions.ts';
import { ON_CONFLICT, SOURCE_FILTERS, TARGET_EDITS, type DeltaOptions, type OnConflict, type SourceFilter, type TargetEdits } from './delta-options.ts';

/**
 * Object kinds any job can name (every pair's, from the pair data); a job may name only its own
 * pair's, checked once its connections are known (`normalizeJobRequest(input, pair)`).
 */
export const JOB_OBJECTS = ALL_OBJECT_KINDS as readonly [string, ...string[]];
export type JobObject = string;
/** Phase names any job can name (every pair's). */
export const JOB_PHASES = ALL_PHASE_NAMES as readonly [string, ...string[]];

export const DEFAULT_BATCH_SIZE = 100;
export const DEFAULT_CONCURRENCY = 4;
export const MAX_METADATA_BYTES = 8 * 1024;
export const LIMITS = {
  batchSize: [1, 1000], concurrency: [1, 64], maxAttempts: [1, 100], backoffCoefficient: [1, 10],
  initialIntervalMs: [1, 3_600_000], maximumIntervalMs: [1, 86_400_000],
} as const;

export const DEFAULT_RETRY_POLICY: JobRetryPolicy = {
  maxAttempts: 5, initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 60_000, nonRetryable: [],
};

/** A create-job request as a caller sends it: everything but the connections is optional. */
export interface CreateJobInput {
  sourceConnectionId: string;
  targetConnectionId: string;
  objects?: string[] | undefined;
  /** Instead of `objects`: the pair's phases to run (their object kinds); not both. */
  phases?: string[] | undefined;
  batchSize?: number | undefined;
  concurrency?: number | undefined;
  retryPolicy?: Partial<JobRetryPolicy> | undefined;
  dryRun?: boolean | undefined;
  metadata?: Record<string, unknown> | undefined;
  mapping?: Record<string, unknown> | undefined;
  proceedOverQuota?: boolean | undefined;
  /** `delta`: move only what changed since the job `follows` names (default `full`). */
  mode?: 'full' | 'delta' | undefined;
  follows?: string | undefined;
  onConflict?: OnConflict | undefined;
  /** A delta: compare `all` records it wrote before with the target (default), or only those `changed` at the source. */
  targetEdits?: TargetEdits | undefined;
  /** A delta: ask the source for changes only where it can filter (`changes`, default), or read everything (`off`). */
  sourceFilter?: SourceFilter | undefined;
}

/** The same request with every default applied and objects in dependency order. */
export interface JobRequest {
  sourceConnectionId: string;
  targetConnectionId: string;
  objects: JobObject[];
  batchSize: number;
  concurrency: number;
  retryPolicy: JobRetryPolicy;
  dryRun: boolean;
  metadata: Record<string, unknown>;
  mapping: Record<string, unknown> | null;
  /** Create the job even when its call plan does not fit the source's monthly quota. */
  proceedOverQuota: boolean;
  /** A delta pass: the job it follows (null: the latest completed one, found at creation) and its conflict choice; null for a full job. */
  delta: (Omit<DeltaOptions, 'follows' | 'targetEdits' | 'sourceFilter'> & { follows: string | null; targetEdits: TargetEdits; sourceFilter: SourceFilter }) | null;
}

type Issue = { path: (string | number)[]; message: string };

function intIn(value: unknown, [min, max]: readonly [number, number]): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The object kinds a job moves, in its pair's dependency order: those named in `objects`, or the
 * kinds of the phases named in `phases`, or all of the pair's. Without a pair (its connections not
 * looked up yet), any pair's kinds are accepted, in the pairs' order.
 */
function jobObjects(input: CreateJobInput, pair: PairData | undefined, issues: Issue[]): string[] {
  const known = pair ? pairObjects(pair) : [...ALL_OBJECT_KINDS];
  const whose = pair ? ` (the ${pair.displayName} object kinds)` : '';
  const wanted = new Set<string>();
  if (input.phases !== undefined) {
    const phaseNames = pair ? pair.phases.map((p) => p.name) : [...ALL_PHASE_NAMES];
    if (!Array.isArray(input.phases) || input.phases.length === 0) {
      issues.push({ path: ['phases'], message: 'at least one phase' });
      return [];
    }
    for (const [i, name] of input.phases.entries()) {
      if (!phaseNames.includes(name)) issues.push({ path: ['phases', i], message: `one of ${phaseNames.join(', ')}${pair ? ` (the ${pair.displayName} phases)` : ''}` });
      else for (const p of pair ? [pair] : PAIRS) for (const o of phaseOf(p, name)?.objects ?? []) wanted.add(o);
    }
    // Phases and objects together: the phases' kinds and the named ones (a phase plus a single kind).
    if (input.objects === undefined) return known.filter((o) => wanted.has(o));
  }
  const objects = input.objects ?? known;
  if (!Array.isArray(objects) || objects.length === 0) {
    issues.push({ path: ['objects'], message: 'at least one object kind' });
    return [];
  }
  for (const [i, o] of objects.entries()) {
    if (!known.includes(o)) issues.push({ path: ['objects', i], message: `one of ${known.join(', ')}${whose}` });
  }
  return known.filter((o) => objects.includes(o) || wanted.has(o));
}

/**
 * Applies defaults and checks the rules the database and the workflow rely on. The API validates
 * the same rules at the edge (with zod); this is what holds for every other caller. `pair` is the
 * job's connector pair once its connections are known: objects and phases are checked against it.
 */
export function normalizeJobRequest(input: CreateJobInput, pair?: PairData): JobRequest {
  const issues: Issue[] = [];
  for (const field of ['sourceConnectionId', 'targetConnectionId'] as const) {
    if (typeof input[field] !== 'string') issues.push({ path: [field], message: 'a connection id' });
  }
  const objects = jobObjects(input, pair, issues);
  const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!intIn(batchSize, LIMITS.batchSize)) issues.push({ path: ['batchSize'], message: 'an integer from 1 to 1000' });
  const concurrency = input.concurrency ?? DEFAULT_CONCURRENCY;
  if (!intIn(concurrency, LIMITS.concurrency)) issues.push({ path: ['concurrency'], message: 'an integer from 1 to 64' });
  const retryPolicy: JobRetryPolicy = { ...DEFAULT_RETRY_POLICY, ...input.retryPolicy };
  retryPolicy.nonRetryable = [...new Set(retryPolicy.nonRetryable)];
  issues.push(...retryPolicyIssues(retryPolicy));
  const metadata = input.metadata ?? {};
  if (!isPlainObject(metadata)) issues.push({ path: ['metadata'], message: 'an object' });
  else if (Buffer.byteLength(JSON.stringify(metadata)) > MAX_METADATA_BYTES) issues.push({ path: ['metadata'], message: `at most ${MAX_METADATA_BYTES} bytes as JSON` });
  const mapping = input.mapping ?? null;
  if (mapping !== null && !isPlainObject(mapping)) issues.push({ path: ['mapping'], message: 'an object' });
  const delta = deltaOf(input, issues);
  if (issues.length > 0) throw new ValidationError('Invalid job', issues);
  return {
    sourceConnectionId: String(input.sourceConnectionId).toLowerCase(),
    targetConnectionId: String(input.targetConnectionId).toLowerCase(),
    objects,
    batchSize, concurrency, retryPolicy, dryRun: input.dryRun ?? false, metadata, mapping, proceedOverQuota: input.proceedOverQuota === true, delta,
  };
}

/**
 * `mode: delta`, or `follows` alone, makes a delta; without `follows` it follows the latest completed job
 * of the same connections (found at creation). No cross-field refusal (a schema-valid request is never
 * a 400): `follows`, `onConflict`, `targetEdits` and `sourceFilter` are ignored on `mode: full`, and alone on a full job.
 */
function deltaOf(input: CreateJobInput, issues: Issue[]): JobRequest['delta'] {
  if (input.mode !== undefined && input.mode !== 'full' && input.mode !== 'delta') issues.push({ path: ['mode'], message: 'full or delta' });
  if (input.onConflict !== undefined && !ON_CONFLICT.includes(input.onConflict)) issues.push({ path: ['onConflict'], message: ON_CONFLICT.join(' or ') });
  if (input.follows !== undefined && typeof input.follows !== 'string') issues.push({ path: ['follows'], message: 'a job id' });
  if (input.targetEdits !== undefined && !TARGET_EDITS.includes(input.targetEdits)) issues.push({ path: ['targetEdits'], message: TARGET_EDITS.join(' or ') });
  if (input.sourceFilter !== undefined && !SOURCE_FILTERS.includes(input.sourceFilter)) issues.push({ path: ['sourceFilter'], message: SOURCE_FILTERS.join(' or ') });
  const delta = input.mode === 'delta' || (input.mode === undefined && input.follows !== undefined);
  if (!delta) return null;
  return {
    follows: typeof input.follows === 'string' ? input.follows.toLowerCase() : null, onConflict: input.onConflict ?? 'keep-target', targetEdits: input.targetEdits ?? 'all',
    sourceFilter: input.sourceFilter ?? 'changes',
  };
}

/**
 * The wait before retry `n` (1-based): min(initialIntervalMs × backoffCoefficient^(n−1), maximumIntervalMs),
 * the usual capped exponential backoff. Every combination of the fields is meaningful, so the API has no
 * cross-field rule to refuse (a schema-valid policy is always accepted).
 */
export function retryWaitMs(p: Pick<JobRetryPolicy, 'initialIntervalMs' | 'backoffCoefficient' | 'maximumIntervalMs'>, n: number): number {
  return Math.min(p.initialIntervalMs * p.backoffCoefficient ** (n - 1), p.maximumIntervalMs);
}

function retryPolicyIssues(p: JobRetryPolicy): Issue[] {
  const issues: Issue[] = [];
  const at = (field: string, message: string) => issues.push({ path: ['retryPolicy', field], message });
  if (!intIn(p.maxAttempts, LIMITS.maxAttempts)) at('maxAttempts', 'an integer from 1 to 100');
  if (!intIn(p.initialIntervalMs, LIMITS.initialIntervalMs)) at('initialIntervalMs', 'an integer from 1 to 3600000');
  // No cross-field rule: a cap below initialIntervalMs means every retry waits the cap (see retryWaitMs).
  if (!intIn(p.maximumIntervalMs, LIMITS.maximumIntervalMs)) at('maximumIntervalMs', 'an integer from 1 to 86400000');
  const [minB, maxB] = LIMITS.backoffCoefficient;
  if (typeof p.backoffCoefficient !== 'number' || !(p.backoffCoefficient >= minB && p.backoffCoefficient <= maxB)) at('backoffCoefficient', 'a number from 1 to 10');
  if (!Array.isArray(p.nonRetryable)) at('nonRetryable', 'a list of error kinds');
  else for (const kind of p.nonRetryable) {
    if (!(ERROR_KINDS as readonly string[]).includes(kind)) at('nonRetryable', `error kinds are ${ERROR_KINDS.join(', ')}`);
  }
  return issues;
}

/** JSON with object keys sorted at every level, so equal requests serialise identically. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value)) {
    const entries = Object.keys(value).sort().filter((k) => value[k] !== undefined);
    return `{${entries.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Fingerprint of a normalized request: what an Idempotency-Key is bound to. */
export function requestHash(request: JobRequest): string {
  // proceedOverQuota tells creation how to treat the call plan; the job is the same with or without it.
  // A full job hashes as before deltas existed (no `delta` key): a repeat of an older request still matches.
  // Likewise a delta with the default targetEdits or sourceFilter hashes as before the option existed.
  const { proceedOverQuota: _proceed, delta, ...job } = request;
  const kept = delta ? {
    ...delta, targetEdits: delta.targetEdits === 'all' ? undefined : delta.targetEdits, sourceFilter: delta.sourceFilter === 'changes' ? undefined : delta.sourceFilter,
  } : null;
  return createHash('sha256').update(canonicalJson(kept ? { ...job, delta: kept } : job)).digest('hex');
}
