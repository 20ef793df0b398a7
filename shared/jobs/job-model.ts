import type { JobCallPlan } from './call-plan.ts';
import type { DeltaOptions } from './delta-options.ts';
import { TERMINAL_STATUSES, type JobRetryPolicy, type JobStatus, type MigrationJobInput } from '../../workflows/migration-job/definitions.ts';

/** A migration job as clients see it (list entries; the detail view adds counts and progress). */
export interface Job {
  id: string;
  status: JobStatus;
  sourceConnectionId: string;
  targetConnectionId: string;
  objects: string[];
  batchSize: number;
  concurrency: number;
  retryPolicy: JobRetryPolicy;
  dryRun: boolean;
  /** `undo`: takes back the writes of job `undoOf` (`POST /v1/jobs/{id}/undo`). */
  kind: 'migration' | 'undo';
  undoOf: string | null;
  /** An undo's request: force past conflicts. */
  force: boolean;
  metadata: Record<string, unknown>;
  mapping: Record<string, unknown> | null;
  namespace: string;
  workflowId: string;
  /** Link to the job's workflow in Temporal Web UI. */
  temporalUiUrl: string;
  estimatedTotal: number | null;
  /** The source-API call plan made at creation (null for jobs created without one). */
  callPlan: JobCallPlan | null;
  /** `delta` for a delta pass (see `follows`, `onConflict`), else `full`. */
  mode: 'full' | 'delta';
  follows: string | null;
  onConflict: DeltaOptions['onConflict'] | null;
  targetEdits: NonNullable<DeltaOptions['targetEdits']> | null;
  sourceFilter: NonNullable<DeltaOptions['sourceFilter']> | null;
  error: string | null;
  cancelReason: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
}

export interface JobOptions {
  mapping?: Record<string, unknown>;
  /** Fingerprint of the create request, to tell a repeat from a different request under one Idempotency-Key. */
  requestHash?: string;
  callPlan?: JobCallPlan;
  /** An undo job's request (issue 17): force past conflicts, or only list what it would do. */
  undo?: { force: boolean; dryRun: boolean };
  /** Set on a delta pass: the job it follows and what it does with target edits. */
  delta?: DeltaOptions;
}

/** How a job read one object from the source (delta passes, migration 0195). */
export interface SourceRead {
  startedAt: string;
  /** Set when the read asked the source only for records changed since this instant (a source-side change filter). */
  since: string | null;
}
export type SourceReads = Record<string, SourceRead>;

export interface JobRow {
  id: string;
  tenant_id: string;
  status: JobStatus;
  /** `undo`: the job takes back the writes of job `undo_of` (migration 0160). */
  kind: 'migration' | 'undo';
  undo_of: string | null;
  source_connection_id: string;
  target_connection_id: string;
  objects: string[];
  batch_size: number;
  concurrency: number;
  retry_policy: JobRetryPolicy;
  dry_run: boolean;
  options: JobOptions;
  metadata: Record<string, unknown>;
  idempotency_key: string | null;
  namespace: string;
  workflow_id: string;
  estimated_total: number | null;
  /** null with an estimate: a job created before the basis was kept (its estimate is the plan's). */
  estimate_basis: 'call_plan' | 'extracted' | null;
  /** The percent shown before the estimate last changed: never shown lower (migration 0110). */
  percent_floor: number;
  /** Per job object: when this job began reading it, and the change filter's instant if it read only changes (migration 0195). */
  source_reads: SourceReads;
  error: string | null;
  cancel_reason: string | null;
  created_by: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
}

/** The workflow input a job row starts with (the API at creation, the worker's reconciler later). */
export function workflowInputOf(row: JobRow): MigrationJobInput {
  return {
    tenantId: row.tenant_id, jobId: row.id, objects: row.objects, batchSize: row.batch_size, concurrency: row.concurrency,
    retryPolicy: row.retry_policy,
    // An undo's dry run reads and classifies every record (its runtime writes nothing): the engine must call its writes.
    dryRun: row.kind === 'undo' ? false : row.dry_run, ...(row.kind === 'undo' ? { kind: 'undo' as const } : {}),
  };
}

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** `${uiUrl}/namespaces/<ns>/workflows/<workflowId>`. */
export function temporalUiUrl(uiUrl: string, namespace: string, workflowId: string): string {
  return `${uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

export function toJob(row: JobRow, uiUrl: string): Job {
  return {
    id: row.id,
    status: row.status,
    sourceConnectionId: row.source_connection_id,
    targetConnectionId: row.target_connection_id,
    objects: row.objects,
    batchSize: row.batch_size,
    concurrency: row.concurrency,
    retryPolicy: row.retry_policy,
    dryRun: row.dry_run,
    kind: row.kind,
    undoOf: row.undo_of,
    force: row.options.undo?.force ?? false,
    metadata: row.metadata,
    mapping: row.options.mapping ?? null,
    namespace: row.namespace,
    workflowId: row.workflow_id,
    temporalUiUrl: temporalUiUrl(uiUrl, row.namespace, row.workflow_id),
    estimatedTotal: row.estimated_total,
    callPlan: row.options.callPlan ?? null,
    mode: row.options.delta ? 'delta' : 'full',
    follows: row.options.delta?.follows ?? null,
    onConflict: row.options.delta?.onConflict ?? null,
    targetEdits: row.options.delta ? row.options.delta.targetEdits ?? 'all' : null,
    sourceFilter: row.options.delta ? row.options.delta.sourceFilter ?? 'changes' : null,
    error: row.error,
    cancelReason: row.cancel_reason,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    updatedAt: row.updated_at.toISOString(),
  };
}
