import type { Dispatcher } from 'undici';
import { CONNECTOR_NAMES } from '../../shared/connections/official-base-urls.ts';
import { abortable } from '../../shared/db/abortable.ts';
import type { Sql } from '../../shared/db/client.ts';
import { CONFIG, OUTBOUND_REFUSED } from '../../shared/error-kinds.ts';
import type { Logger } from '../../shared/logger.ts';
import type { OutboundPolicy } from '../../shared/outbound/outbound-policy.ts';
import { ConnectorError } from '../connectors/connector-error.ts';
import { createAffinityClient } from '../pairs/affinity-attio/affinity/affinity-client.ts';
import { createAffinitySource, type AffinitySource } from '../pairs/affinity-attio/affinity/affinity-source.ts';
import { createAttioClient } from '../pairs/affinity-attio/attio/attio-client.ts';
import { createAttioTarget } from '../pairs/affinity-attio/attio/attio-target.ts';
import type { BudgetRegistry } from '../connectors/budget/budget-registry.ts';
import { createCachedIdMap } from '../connectors/id-map/cached-id-map.ts';
import { createPgIdMap } from '../connectors/id-map/pg-id-map.ts';
import type { TargetConnector } from '../pairs/affinity-attio/connector-types.ts';
import { parseNoteMarker, resolveMappingConfig, type MappingConfig } from '../pairs/affinity-attio/mapping/index.ts';
import { activitySignal } from './activity-signal.ts';
import type { JobRow } from './job-store.ts';

export interface ConnectionCredentials {
  type: 'affinity' | 'attio';
  baseUrl: string;
  apiKey: string;
}

export interface JobConnectorsDeps {
  sql: Sql;
  logger: Logger;
  /** Decrypts a connection's credentials (tenant-scoped). */
  credentials: (tenantId: string, connectionId: string) => Promise<ConnectionCredentials>;
  /** Budgets per Attio workspace and Affinity key, shared by every job (and process, with a store) that uses them. */
  budgets: BudgetRegistry;
  /**
   * Where tenant connections may go: the policy (official base URLs, operator allow-list) checked
   * again here, because an allow-list can shrink after a connection was stored, and the dispatcher
   * that checks every address it connects to (outbound-dispatcher.ts).
   */
  outbound: { policy: OutboundPolicy; dispatcher: Dispatcher };
  limits?: { attioWritesPerSec?: number; attioReadsPerSec?: number; attioQueryScorePer10s?: number; affinityRequestsPerMin?: number; requestTimeoutMs?: number };
  /** The caller's cancellation, read at each call (default: the running activity's). */
  signal?: () => AbortSignal | undefined;
}

export interface JobConnectors {
  source: AffinitySource;
  target: TargetConnector;
  mapping: MappingConfig;
}

const CACHE_LIMIT = 64;

/**
 * Builds (and caches per job) the source and target connectors of a job from its connections.
 * The id map is scoped to the connection pair, so a second job between the same two systems
 * finds the records the first one created instead of duplicating them.
 */
export function createJobConnectorFactory(deps: JobConnectorsDeps) {
  const cache = new Map<string, Promise<JobConnectors>>();
  const signal = deps.signal ?? activitySignal;

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
    if (src.type !== 'affinity' || dst.type !== 'attio') {
      throw new ConnectorError({ kind: CONFIG, message: `unsupported connection pair ${src.type} → ${dst.type}` });
    }
    const srcUrl = admitted(src, job.source_connection_id);
    const dstUrl = admitted(dst, job.target_connection_id);
    const log = (connectionId: string) => deps.logger.child({ tenantId: job.tenant_id, jobId: job.id, connectionId });
    const mapping = resolveMappingConfig(job.options.mapping ?? {});
    const source = createAffinitySource({
      client: createAffinityClient({
        baseUrl: srcUrl, apiKey: src.apiKey, budgets: deps.budgets, logger: log(job.source_connection_id), dispatcher,
        ...(deps.limits?.affinityRequestsPerMin ? { requestsPerMinute: deps.limits.affinityRequestsPerMin } : {}),
        ...(deps.limits?.requestTimeoutMs ? { timeoutMs: deps.limits.requestTimeoutMs } : {}),
      }),
    });
    // Cached per job (id-map rows never change once written); concurrent calls are coalesced.
    const idMap = createCachedIdMap(createPgIdMap({
      sql: deps.sql, tenantId: job.tenant_id, scope: `${job.source_connection_id}:${job.target_connection_id}`, signal,
    }), { maxEntries: 20_000 });
    const target = createAttioTarget({
      client: createAttioClient({
        baseUrl: dstUrl, token: dst.apiKey, budgets: deps.budgets, logger: log(job.target_connection_id), dispatcher,
        ...(deps.limits?.attioWritesPerSec ? { writesPerSec: deps.limits.attioWritesPerSec } : {}),
        ...(deps.limits?.attioReadsPerSec ? { readsPerSec: deps.limits.attioReadsPerSec } : {}),
        ...(deps.limits?.attioQueryScorePer10s ? { queryScorePer10s: deps.limits.attioQueryScorePer10s } : {}),
        ...(deps.limits?.requestTimeoutMs ? { timeoutMs: deps.limits.requestTimeoutMs } : {}),
      }),
      idMap,
      parseNoteMarker,
      sourceIdAttribute: mapping.sourceIdAttribute,
      entryIdAttribute: mapping.list.entryIdAttribute,
    });
    return { source, target, mapping };
  }

  return {
    forJob(job: JobRow): Promise<JobConnectors> {
      let entry = cache.get(job.id);
      if (!entry) {
        if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
        entry = build(job);
        entry.catch(() => cache.delete(job.id));
        cache.set(job.id, entry);
      }
      // The build (credentials from PostgreSQL) is shared by the job's activities: a cancelled one
      // stops waiting for it, the others still get it.
      return abortable(entry, signal());
    },
  };
}

export type JobConnectorFactory = ReturnType<typeof createJobConnectorFactory>;
