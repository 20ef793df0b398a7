import type { Dispatcher } from 'undici';
import type { ConnectionCredentials } from '../../shared/connections/connection-model.ts';
import { abortable } from '../../shared/db/abortable.ts';
import type { Sql } from '../../shared/db/client.ts';
import { CONFIG, OUTBOUND_REFUSED } from '../../shared/error-kinds.ts';
import type { Logger } from '../../shared/logger.ts';
import type { OutboundPolicy } from '../../shared/outbound/outbound-policy.ts';
import type { S3Context } from '../../shared/s3.ts';
import { CONNECTOR_NAMES, isConnectionType } from '../../shared/pairs/index.ts';
import { ConnectorError } from '../connectors/connector-error.ts';
import type { BudgetRegistry } from '../connectors/budget/budget-registry.ts';
import { createCachedIdMap } from '../connectors/id-map/cached-id-map.ts';
import { createPgIdMap } from '../connectors/id-map/pg-id-map.ts';
import type { ConnectorLimits } from '../pairs/limits.ts';
import type { PairModule, PairRuntime, PairRuntimeDeps } from '../pairs/pair.ts';
import { PAIR_MODULES } from '../pairs/registry.ts';
import { activitySignal } from './activity-signal.ts';
import type { JobRow } from './job-store.ts';
import { createUndoRuntime } from './undo/undo-runtime.ts';

export type { ConnectionCredentials };

export interface JobConnectorsDeps {
  sql: Sql;
  logger: Logger;
  /** Decrypts a connection's credentials (tenant-scoped). */
  credentials: (tenantId: string, connectionId: string) => Promise<ConnectionCredentials>;
  /** Budgets per API scope (workspace, key), shared by every job (and process, with a store) that uses them. */
  budgets: BudgetRegistry;
  /**
   * Where tenant connections may go: the policy (official base URLs, operator allow-list) checked
   * again here, because an allow-list can shrink after a connection was stored, and the dispatcher
   * that checks every address it connects to (outbound-dispatcher.ts).
   */
  outbound: { policy: OutboundPolicy; dispatcher: Dispatcher };
  /** Rate limits per connector type (config) and the request timeout. */
  limits?: ConnectorLimits;
  /** The caller's cancellation, read at each call (default: the running activity's). */
  signal?: () => AbortSignal | undefined;
  /** The pairs Freight runs (default: the registry's); tests add an in-memory pair. */
  pairs?: readonly PairModule[];
  /** Where write images are (an undo job reads them). */
  s3?: S3Context;
}

/** A job's runtime of its connector pair, built once per job per process. */
export interface JobConnectors {
  pair: PairModule;
  runtime: PairRuntime;
  /** What the runtime was built from (a reconciliation builds its own readers from the same). */
  deps: PairRuntimeDeps;
}

const CACHE_LIMIT = 64;

/** The id map's scope of a job: its connection pair, so a later job (a delta) between the same two finds what this one wrote. */
export function idMapScope(job: Pick<JobRow, 'source_connection_id' | 'target_connection_id'>): string {
  return `${job.source_connection_id}:${job.target_connection_id}`;
}

/**
 * Builds (and caches per job) the runtime of a job's connector pair from its connections: the pair
 * is looked up in the registry by (source type, target type), and its factory builds the connectors.
 * The id map is scoped to the connection pair, so a second job between the same two systems
 * finds the records the first one created instead of duplicating them.
 */
export function createJobConnectorFactory(deps: JobConnectorsDeps) {
  const cache = new Map<string, Promise<JobConnectors>>();
  const signal = deps.signal ?? activitySignal;
  const pairs = deps.pairs ?? PAIR_MODULES;

  const { dispatcher } = deps.outbound;

  /** The connection's base URL if the outbound policy still admits it; else a non-retryable failure. */
  const admitted = (connection: ConnectionCredentials, connectionId: string): string => {
    const checked = deps.outbound.policy.checkBaseUrl(connection.type, connection.baseUrl);
    if ('url' in checked) return checked.url;
    throw new ConnectorError({
      kind: OUTBOUND_REFUSED,
      message: `${CONNECTOR_NAMES[connection.type]} connection ${connectionId}: refused by the outbound policy: base URL ${checked.problem}`,
      details: { outbound: 'refused' },
    });
  };

  async function build(job: JobRow): Promise<JobConnectors> {
    const [src, dst] = await Promise.all([
      deps.credentials(job.tenant_id, job.source_connection_id),
      deps.credentials(job.tenant_id, job.target_connection_id),
    ]);
    // Job creation refuses a pair Freight does not have; this guards jobs created before a pair was removed.
    const pair = pairs.find((m) => m.data.source === src.type && m.data.target === dst.type);
    if (!pair || !isConnectionType(src.type) || !isConnectionType(dst.type)) {
      throw new ConnectorError({ kind: CONFIG, message: `unsupported connection pair ${src.type} → ${dst.type}` });
    }
    const sourceUrl = admitted(src, job.source_connection_id);
    const targetUrl = admitted(dst, job.target_connection_id);
    const logger = (connectionId: string) => deps.logger.child({ tenantId: job.tenant_id, jobId: job.id, connectionId });
    // Cached per job (id-map rows never change once written); concurrent calls are coalesced.
    const idMap = createCachedIdMap(createPgIdMap({
      sql: deps.sql, tenantId: job.tenant_id, scope: idMapScope(job), signal,
    }), { maxEntries: 20_000 });
    const runtimeDeps: PairRuntimeDeps = {
      job, source: src, target: dst, sourceUrl, targetUrl, idMap, budgets: deps.budgets, dispatcher, logger, limits: deps.limits ?? {}, signal,
    };
    const runtime = pair.createRuntime(runtimeDeps);
    if (job.kind !== 'undo') return { pair, runtime, deps: runtimeDeps };
    // An undo job runs the pair's undo side over the image index of the job it takes back.
    if (!runtime.undo || !job.undo_of || !deps.s3) {
      throw new ConnectorError({ kind: CONFIG, message: `${pair.data.displayName} cannot undo a job (no before-images or no undo)` });
    }
    const undo = createUndoRuntime({
      sql: deps.sql, s3: deps.s3, tenantId: job.tenant_id, undoOf: job.undo_of, undo: runtime.undo,
      options: { force: job.options.undo?.force ?? false, dryRun: job.options.undo?.dryRun ?? false },
    });
    return { pair, runtime: undo as PairRuntime, deps: runtimeDeps };
  }
  return {
    forJob(job: JobRow): Promise<JobConnectors> {
      // Per job and run: a run resumed after its connection's credentials were replaced must not
      // keep the connectors (and the revoked token) its earlier run built.
      const key = `${job.id}:${job.run_seq ?? 1}`;
      let entry = cache.get(key);
      if (!entry) {
        if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
        entry = build(job);
        entry.catch(() => cache.delete(key));
        cache.set(key, entry);
      }
      // The build (credentials from PostgreSQL) is shared by the job's activities: a cancelled one
      // stops waiting for it, the others still get it.
      return abortable(entry, signal());
    },
  };
}

export type JobConnectorFactory = ReturnType<typeof createJobConnectorFactory>;
