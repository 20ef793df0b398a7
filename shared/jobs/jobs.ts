import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import type { Actor } from '../auth/principal.ts';
import { estimatedTotalOf, type JobCallPlan, type JobCallPlanner } from './call-plan.ts';
import { createJobPlanning, jobPlanOf, refuseFailedChecks, refuseOverQuota, type JobPlan } from './job-planning.ts';
import type { ConnectionChecker } from '../connections/connection-check.ts';
import type { Sql, TransactionSql } from '../db/client.ts';
import { withTenant } from '../db/scope.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { recordAudit } from '../tenancy/audit.ts';
import { decodeCursor, encodeCursor } from '../tenancy/cursor.ts';
import { ownTenantOf, UUID_PATTERN } from '../tenancy/tenant-model.ts';
import { jobWorkflowId, JOB_STATUSES, type JobStatus } from '../../workflows/migration-job/definitions.ts';
import { createJobControl } from './job-control.ts';
import { readCounts, type JobDetail } from './job-detail.ts';
import type { DeltaOptions } from './delta-options.ts';
import { createDeltaReads } from './delta-summary.ts';
import { createJobLog } from './job-log.ts';
import { createJobUndo } from './job-undo.ts';
import { listRuns } from './job-runs.ts';
import { isTerminal, toJob, workflowInputOf, type Job, type JobRow } from './job-model.ts';
import { PAIRS, pairFor, type PairData } from '../pairs/index.ts';
import { normalizeJobRequest, requestHash, type CreateJobInput, type JobRequest } from './job-request.ts';
import type { JobWorkflows } from './job-workflows.ts';
import { notifyWorkerDemand } from './worker-demand.ts';

export interface JobServiceOptions {
  /** A pool as the application role (RLS applies). */
  sql: Sql;
  workflows: JobWorkflows;
  /** Base URL of Temporal Web UI, for each job's link. */
  temporalUiUrl: string;
  logger: Logger;
  /** Checks per-job mapping overrides (throwing a ZodError or ValidationError), so a bad one fails at creation. */
  validateMapping?: (pairId: string, overrides: Record<string, unknown>) => void;
  /**
   * The source's call plan for a new job. A plan that does not fit the monthly quota refuses the
   * job (422 quota_insufficient) unless the request sets proceedOverQuota.
   */
  planCalls?: JobCallPlanner;
  /**
   * Checks both connections before a new job is created: a check that fails (rejected credentials,
   * a missing scope or permission, a disabled object) refuses the job (422 connection_check_failed);
   * one that could not run (unreachable, rate limited, timed out) does not.
   */
  checkConnection?: ConnectionChecker;
  now?: () => number;
}

export interface JobPage {
  data: Job[];
  nextCursor: string | null;
}

const START_FAILED = 'The workflow could not be started (Temporal unavailable); repeat the create request with the same Idempotency-Key to start it';
const json = (tx: TransactionSql, value: unknown) => tx.json(value as postgres.JSONValue);

/** Migration jobs of one tenant: create (and start the workflow), read, list, control, logs. */
export function createJobService(options: JobServiceOptions) {
  const { sql, workflows, logger } = options;
  const now = options.now ?? Date.now;
  const view = (row: JobRow): Job => toJob(row, options.temporalUiUrl);
  // One planner for job creation and POST /v1/plans (checks, the pair's call plan, the shared target budget).
  const planning = createJobPlanning({ sql, planCalls: options.planCalls, checkConnection: options.checkConnection });

  function checkMapping(pairId: string, mapping: Record<string, unknown>): void {
    if (!options.validateMapping) return;
    try {
      options.validateMapping(pairId, mapping);
    } catch (err) {
      const issues = (err as { issues?: unknown }).issues ?? (err as { details?: unknown }).details;
      if (!Array.isArray(issues)) throw new ValidationError('Invalid mapping overrides', [{ path: ['mapping'], message: err instanceof Error ? err.message : 'invalid' }]);
      throw new ValidationError('Invalid mapping overrides', issues.map((i: { path?: unknown[]; message?: string }) => ({
        path: ['mapping', ...(i.path ?? []).map((p) => (typeof p === 'number' ? p : String(p)))], message: i.message ?? 'invalid',
      })));
    }
  }

  /** A repeat under the same Idempotency-Key must be the same request. */
  function sameRequest(existing: JobRow, hash: string): JobRow {
    if (existing.options.requestHash !== hash) {
      throw new ConflictError('This Idempotency-Key was already used for a different request', { jobId: existing.id });
    }
    return existing;
  }

  /**
   * The connections' types, locked against a concurrent delete (share locks: a delete waits for
   * this job to commit, then sees it). 404 for a connection the tenant does not have.
   */
  async function connectionTypes(
    tx: TransactionSql, ids: { sourceConnectionId: string; targetConnectionId: string }, includeDeleted = false,
  ): Promise<{ source: string; target: string }> {
    const what = { sourceConnectionId: 'Source connection', targetConnectionId: 'Target connection' } as const;
    for (const field of ['sourceConnectionId', 'targetConnectionId'] as const) {
      if (typeof ids[field] !== 'string' || !UUID_PATTERN.test(ids[field])) throw new NotFoundError(what[field]);
    }
    const rows = await tx<{ id: string; type: string }[]>`
      select id, type from freight.connections
      where id in (${ids.sourceConnectionId.toLowerCase()}, ${ids.targetConnectionId.toLowerCase()}) and (deleted_at is null or ${includeDeleted}) for share`;
    const typeOf = (field: keyof typeof what): string => {
      const row = rows.find((r) => r.id === ids[field].toLowerCase());
      if (!row) throw new NotFoundError(what[field]);
      return row.type;
    };
    return { source: typeOf('sourceConnectionId'), target: typeOf('targetConnectionId') };
  }

  /** The job's connector pair, from its connections' types; 422 when Freight has no such pair. */
  async function pairOf(tenantId: string, ids: { sourceConnectionId: string; targetConnectionId: string }, includeDeleted: boolean): Promise<PairData> {
    const types = await withTenant(sql, tenantId, (tx) => connectionTypes(tx, ids, includeDeleted));
    return pairForTypes(types);
  }

  function pairForTypes(types: { source: string; target: string }): PairData {
    const pair = pairFor(types.source, types.target);
    if (pair) return pair;
    const pairs = PAIRS.map((p) => `${p.source} → ${p.target}`).join(', ');
    // 400 as before the pair boundary (wrong connection types were always refused at creation).
    throw new ValidationError('Invalid job: unsupported connection pair', [
      { path: ['targetConnectionId'], message: `unsupported connection pair ${types.source} → ${types.target}; Freight moves ${pairs}` },
    ]);
  }

  /**
   * The request checked against its pair: objects and phases the pair does not have are a 422
   * `not_in_pair` — the request is well-formed (the document lists every pair's kinds), these
   * connections cannot run it.
   */
  function forPair(input: CreateJobInput, pair: PairData): JobRequest {
    try {
      return normalizeJobRequest(input, pair);
    } catch (err) {
      if (err instanceof ValidationError) throw new AppError('not_in_pair', 422, `Invalid job for ${pair.displayName}: not one of its object kinds or phases`, { details: err.details });
      throw err;
    }
  }

  /** Inside the insert: the connections still exist and still form the job's pair. */
  async function assertConnections(tx: TransactionSql, request: JobRequest, pair: PairData): Promise<void> {
    const types = await connectionTypes(tx, request);
    if (pairForTypes(types).id !== pair.id) throw new ConflictError('The job\'s connections changed while it was being created; repeat the request');
  }

  /**
   * A delta's pair must keep hashes and after-images, and the job it follows must be this tenant's
   * (404 otherwise, like any other id), completed, and of the same connections. Without `follows`:
   * the latest completed job of these connections (409 `delta_nothing_to_follow` when there is none).
   */
  async function checkDelta(tx: TransactionSql, request: JobRequest, pair: PairData): Promise<DeltaOptions | null> {
    const delta = request.delta;
    if (!delta) return null;
    if (!pair.delta) throw new AppError('delta_not_supported', 422, `${pair.displayName} jobs have no delta passes (the pair keeps no source hashes or after-images); run a full job`);
    if (delta.follows === null) {
      const [latest] = await tx<{ id: string }[]>`
        select id from freight.jobs where source_connection_id = ${request.sourceConnectionId} and target_connection_id = ${request.targetConnectionId}
          and status in ('completed', 'completed_with_errors') and not dry_run order by finished_at desc nulls last limit 1`;
      if (!latest) throw new AppError('delta_nothing_to_follow', 409, 'No completed job of these connections to follow: run a full job first');
      return { ...delta, follows: latest.id };
    }
    if (!UUID_PATTERN.test(delta.follows)) throw new NotFoundError('Job');
    const [followed] = await tx<JobRow[]>`select * from freight.jobs where id = ${delta.follows}`;
    if (!followed) throw new NotFoundError('Job');
    if (followed.source_connection_id !== request.sourceConnectionId || followed.target_connection_id !== request.targetConnectionId) {
      throw new AppError('delta_follows_other_connections', 422, `Job ${followed.id} moved between other connections; a delta follows a job of the same source and target connections`);
    }
    if (!['completed', 'completed_with_errors'].includes(followed.status) || followed.dry_run) {
      throw new AppError('delta_follows_unfinished', 422, `Job ${followed.id} is ${followed.dry_run ? 'a dry run' : followed.status}; a delta follows a job that completed`);
    }
    return { ...delta, follows: followed.id };
  }

  async function existing(tenantId: string, idempotencyKey: string | undefined): Promise<JobRow | undefined> {
    if (!idempotencyKey) return undefined;
    return withTenant(sql, tenantId, async (tx) => (await tx<JobRow[]>`select * from freight.jobs where idempotency_key = ${idempotencyKey}`)[0]);
  }

  async function insert(
    actor: Actor, tenantId: string, request: JobRequest, hash: string, idempotencyKey: string | undefined, callPlan: JobCallPlan | undefined, pair: PairData,
  ): Promise<{ row: JobRow; created: boolean }> {
    return withTenant(sql, tenantId, async (tx) => {
      const byKey = async () => (idempotencyKey ? (await tx<JobRow[]>`select * from freight.jobs where idempotency_key = ${idempotencyKey}`)[0] : undefined);
      const earlier = await byKey();
      if (earlier) return { row: sameRequest(earlier, hash), created: false };
      const [tenant] = await tx<{ namespace: string }[]>`select namespace from freight.tenants where id = ${tenantId}`;
      if (!tenant) throw new NotFoundError('Tenant');
      await assertConnections(tx, request, pair);
      const delta = await checkDelta(tx, request, pair);
      const id = randomUUID();
      const jobOptions = {
        ...(request.mapping ? { mapping: request.mapping } : {}), requestHash: hash, ...(callPlan ? { callPlan } : {}),
        ...(delta ? { delta } : {}),
      };
      // The plan's count, refined by the worker as the job reads (shared/jobs/job-estimate.ts).
      const estimatedTotal = estimatedTotalOf(callPlan);
      const [row] = await tx<JobRow[]>`
        insert into freight.jobs (id, tenant_id, status, source_connection_id, target_connection_id, objects, batch_size, concurrency,
          retry_policy, dry_run, options, metadata, idempotency_key, namespace, workflow_id, created_by, estimated_total, estimate_basis)
        values (${id}, ${tenantId}, 'pending', ${request.sourceConnectionId}, ${request.targetConnectionId}, ${tx.array(request.objects)},
          ${request.batchSize}, ${request.concurrency}, ${json(tx, request.retryPolicy)}, ${request.dryRun}, ${json(tx, jobOptions)},
          ${json(tx, request.metadata)}, ${idempotencyKey ?? null}, ${tenant.namespace}, ${jobWorkflowId(id)},
          ${`${actor.principal.actorType}:${actor.principal.actorId}`}, ${estimatedTotal},
          ${estimatedTotal === null ? null : 'call_plan'})
        on conflict (tenant_id, idempotency_key) do nothing returning *`;
      if (!row) {
        // A concurrent request with the same key won the race.
        const winner = await byKey();
        if (!winner) throw new Error('idempotent job insert found neither a new nor an existing row');
        return { row: sameRequest(winner, hash), created: false };
      }
      await recordAudit(tx, actor, {
        tenantId, action: 'job.create', targetType: 'job', targetId: id,
        details: {
          sourceConnectionId: request.sourceConnectionId, targetConnectionId: request.targetConnectionId, objects: request.objects,
          batchSize: request.batchSize, concurrency: request.concurrency, dryRun: request.dryRun, idempotencyKey: idempotencyKey ?? undefined,
          ...(delta ? { mode: 'delta', ...delta } : {}),
          ...(request.proceedOverQuota ? { proceedOverQuota: true, callPlanTotal: callPlan?.total } : {}),
        },
      });
      return { row, created: true };
    });
  }

  /**
   * Starts the job's workflow (a no-op if it exists), then wakes the worker. On failure the job
   * stays `pending` with `error` set and the caller gets a 503 naming the job.
   */
  async function ensureStarted(row: JobRow): Promise<JobRow> {
    try {
      await workflows.start(row.namespace, workflowInputOf(row));
    } catch (err) {
      logger.warn({ err, jobId: row.id, namespace: row.namespace }, 'job workflow could not be started');
      await withTenant(sql, row.tenant_id, (tx) => tx`
        update freight.jobs set error = ${START_FAILED}, updated_at = now() where id = ${row.id} and status = 'pending'`)
        .catch((dbErr: unknown) => logger.warn({ err: dbErr, jobId: row.id }, 'could not record the start failure'));
      throw new AppError('dependency_unavailable', 503,
        `Temporal unavailable: job ${row.id} was saved but its workflow could not be started; repeat the request with the same Idempotency-Key to start it`,
        { details: { jobId: row.id }, cause: err });
    }
    let current = row;
    if (row.error !== null) {
      const [cleared] = await withTenant(sql, row.tenant_id, (tx) => tx<JobRow[]>`
        update freight.jobs set error = null, updated_at = now() where id = ${row.id} and status = 'pending' and error is not null returning *`);
      current = cleared ?? row;
    }
    await notifyWorkerDemand(sql, row.namespace).catch((err: unknown) => logger.warn({ err, namespace: row.namespace }, 'worker demand notification failed'));
    return current;
  }

  /**
   * Creates a job and starts its workflow. With an Idempotency-Key, a repeat of the same request
   * returns the existing job (created: false) and starts its workflow if an earlier attempt could not.
   */
  async function create(actor: Actor, input: CreateJobInput, idempotencyKey?: string): Promise<{ job: Job; created: boolean }> {
    const tenantId = ownTenantOf(actor.principal);
    // Everything that does not depend on the pair is checked first (a malformed request is a 422
    // whatever its connections); then the connections name the pair its objects are checked against.
    normalizeJobRequest({ ...input, objects: undefined, phases: undefined });
    // A repeat under a known Idempotency-Key is answered without planning again (counting costs quota),
    // even when a connection was deleted since the job finished.
    const earlier = await existing(tenantId, idempotencyKey);
    const pair = await pairOf(tenantId, input, earlier !== undefined);
    const request = forPair(input, pair);
    if (request.mapping) checkMapping(pair.id, request.mapping);
    const hash = requestHash(request);
    let callPlan: JobCallPlan | undefined;
    if (!earlier) {
      // Checks first: a connection that fails them refuses the job before its plan spends quota.
      const checks = await planning.check(tenantId, request);
      refuseFailedChecks(checks);
      callPlan = await planning.plan(tenantId, request, pair, checks);
      refuseOverQuota(callPlan, request);
    }
    const { row, created } = await insert(actor, tenantId, request, hash, idempotencyKey, callPlan, pair);
    const started = row.status === 'pending' ? await ensureStarted(row) : row;
    return { job: view(started), created };
  }

  /**
   * The plan of a job this request would create, made exactly as creation makes it; nothing is
   * saved and nothing is written to the target. Failed checks and an exceeded quota are warnings here.
   */
  async function plan(actor: Actor, input: CreateJobInput): Promise<JobPlan> {
    const tenantId = ownTenantOf(actor.principal);
    normalizeJobRequest({ ...input, objects: undefined, phases: undefined });
    const pair = await pairOf(tenantId, input, false);
    const request = forPair(input, pair);
    if (request.mapping) checkMapping(pair.id, request.mapping);
    const checks = await planning.check(tenantId, request);
    const callPlan = await planning.plan(tenantId, request, pair, checks);
    const answer = jobPlanOf(request, pair, callPlan, checks, now());
    // Changes nothing in Freight, but calls the vendors with the tenant's credentials (and spends source quota counting): audited like a connection test.
    await withTenant(sql, tenantId, (tx) => recordAudit(tx, actor, {
      tenantId, action: 'job.plan', targetType: 'connection', targetId: request.sourceConnectionId,
      details: { targetConnectionId: request.targetConnectionId, objects: request.objects, countingCalls: callPlan?.countingCalls, etaSeconds: answer.etaSeconds },
    }));
    return answer;
  }

  /** Newest first, optionally one status only. */
  async function list(actor: Actor, page: { status?: JobStatus | undefined; limit: number; cursor?: string | undefined }): Promise<JobPage> {
    const tenantId = ownTenantOf(actor.principal);
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    if (page.cursor && !after) throw new ValidationError('Invalid cursor', [{ path: ['cursor'], message: 'not a cursor from a previous page' }]);
    if (page.status && !JOB_STATUSES.includes(page.status)) throw new ValidationError('Invalid status', [{ path: ['status'], message: JOB_STATUSES.join(', ') }]);
    const rows = await withTenant(sql, tenantId, (tx) => tx<JobRow[]>`
      select * from freight.jobs
      where ${page.status ? tx`status = ${page.status}` : tx`true`}
        and ${after ? tx`(date_trunc('milliseconds', created_at), id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : tx`true`}
      order by date_trunc('milliseconds', created_at) desc, id desc limit ${page.limit + 1}`);
    const data = rows.slice(0, page.limit).map(view);
    const last = data.at(-1);
    return { data, nextCursor: rows.length > page.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
  }

  /** The job with counts and progress; `live: true` adds the workflow's own answer when it comes quickly. */
  async function get(actor: Actor, jobId: string, opts: { live?: boolean } = {}): Promise<JobDetail> {
    const tenantId = ownTenantOf(actor.principal);
    if (!UUID_PATTERN.test(jobId)) throw new NotFoundError('Job');
    const { row, counts } = await withTenant(sql, tenantId, async (tx) => {
      const [job] = await tx<JobRow[]>`select * from freight.jobs where id = ${jobId}`;
      if (!job) throw new NotFoundError('Job');
      return { row: job, counts: { ...(await readCounts(tx, job, now())), runs: await listRuns(tx, job.id) } };
    });
    const detail: JobDetail = { ...view(row), ...counts };
    // A job that finished with errors keeps its workflow open for retries: it still answers.
    if (opts.live === true && (!isTerminal(row.status) || row.status === 'completed_with_errors') && row.error === null) {
      const live = await workflows.progress(row.namespace, row.id);
      if (live) detail.live = live;
    }
    return detail;
  }

  return { create, plan, list, get, ...createJobControl({ sql, workflows, logger }), ...createJobLog({ sql }), ...createDeltaReads({ sql }), ...createJobUndo({ sql, ensureStarted, view }) };
}

export type JobService = ReturnType<typeof createJobService>;
