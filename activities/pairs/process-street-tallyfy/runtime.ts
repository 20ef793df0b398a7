import { inContext } from '../../connectors/connector-error.ts';
import { limitsOf } from '../limits.ts';
import { secretOf, type ConnectionCredentials, type PairRuntime, type PairRuntimeDeps, type PreparedInfo } from '../pair.ts';
import type { PsObject, PsRecord, PsWorkflow, TallyfyWrite } from './contract.ts';
import { mapPsRecord, referencedKeys, resolvePsMappingConfig, unresolvedNow, type PsMapContext } from './mapping/index.ts';
import { createPsClient } from './process-street/ps-client.ts';
import { createProcessStreetSource, type ProcessStreetSource } from './process-street/ps-source.ts';
import { createTallyfyClient, type TallyfyLimits } from './tallyfy/tallyfy-client.ts';
import { createTallyfyTarget } from './tallyfy/tallyfy-target.ts';
import type { TallyfyCredentials } from './tallyfy/tallyfy-token.ts';

/**
 * What `prepare` gives the mapping: every workflow (template) of the source with its tasks and
 * fields. Runs and attachments are matched to their template by order/name and field key, so the
 * mappers need the definitions; reading them once per job per process keeps mapping free of I/O.
 */
export interface PsTallyfyPrepared extends PreparedInfo {
  workflows: ReadonlyMap<string, PsWorkflow>;
}

const OBJECTS: ReadonlySet<string> = new Set<PsObject>(['users', 'groups', 'workflows', 'runs', 'comments', 'attachments']);
const HOUR_MS = 3_600_000;

function psObject(object: string): PsObject {
  if (!OBJECTS.has(object)) throw new Error(`unknown object kind "${object}"`);
  return object as PsObject;
}

/** A Tallyfy connection's secrets as the connector takes them (the type's schema allows exactly these two shapes). */
export function tallyfyCredentials(c: ConnectionCredentials): TallyfyCredentials {
  if (typeof c.token === 'string') return { kind: 'token', token: c.token };
  return { kind: 'client_credentials', clientId: secretOf(c, 'clientId'), clientSecret: secretOf(c, 'clientSecret') };
}

export function tallyfyOrganization(c: ConnectionCredentials): string {
  const id = c.settings?.organizationId;
  if (typeof id !== 'string' || id === '') throw new Error('tallyfy connection has no organizationId setting');
  return id;
}

/** The connector's limits from the pair data's names (per hour caps; `hourMs` shortens the window against a time-compressed sandbox). */
export function tallyfyLimits(set: Record<string, number>): Partial<TallyfyLimits> {
  const hour = set.hourMs ?? HOUR_MS;
  return {
    ...(set.requestsPerMinute ? { requestsPerMinute: set.requestsPerMinute } : {}),
    ...(set.commentsPerHour || set.hourMs ? { comments: { count: set.commentsPerHour ?? 120, windowMs: hour } } : {}),
    ...(set.invitesPerHour || set.hourMs ? { invites: { count: set.invitesPerHour ?? 30, windowMs: hour } } : {}),
  };
}

/** Every workflow of the source, page by page (a skipped one is a warning: its runs then skip as unknown). */
async function readWorkflows(source: ProcessStreetSource, signal?: AbortSignal): Promise<{ workflows: Map<string, PsWorkflow>; warnings: string[] }> {
  const workflows = new Map<string, PsWorkflow>();
  const warnings: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await source.readPage('workflows', cursor, { pageSize: 100, ...(signal ? { signal } : {}) });
    for (const r of page.records) if (r.kind === 'workflows') workflows.set(r.id, r);
    for (const s of page.skipped) warnings.push(`workflow ${s.source.id} could not be read: ${s.reason}`);
    warnings.push(...page.warnings);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { workflows, warnings };
}

/** One job's Process Street → Tallyfy runtime: the Process Street source, the Tallyfy target and the mapping between. */
export function createProcessStreetTallyfyRuntime(deps: PairRuntimeDeps): PairRuntime<PsRecord, PsTallyfyPrepared, PsMapContext, TallyfyWrite> {
  const { job, limits } = deps;
  const mapping = resolvePsMappingConfig(job.options.mapping ?? {});
  const ps = limitsOf(limits, 'process-street');
  const source = createProcessStreetSource({
    client: createPsClient({
      baseUrl: deps.sourceUrl, apiKey: secretOf(deps.source, 'apiKey'), budgets: deps.budgets, logger: deps.logger(job.source_connection_id), dispatcher: deps.dispatcher,
      ...(ps.requestsPerSec ? { requestsPerSec: ps.requestsPerSec } : {}),
      ...(limits.requestTimeoutMs ? { timeoutMs: limits.requestTimeoutMs } : {}),
    }),
  });
  const target = createTallyfyTarget({
    client: createTallyfyClient({
      baseUrl: deps.targetUrl, organizationId: tallyfyOrganization(deps.target), credentials: tallyfyCredentials(deps.target),
      budgets: deps.budgets, logger: deps.logger(job.target_connection_id), dispatcher: deps.dispatcher,
      limits: tallyfyLimits(limitsOf(limits, 'tallyfy')),
      ...(limits.requestTimeoutMs ? { timeoutMs: limits.requestTimeoutMs } : {}),
    }),
    idMap: deps.idMap,
    // Attachments' bytes come from the source with its own key, and only from its API host.
    download: async (url, signal) => Buffer.from(await source.download(url, signal ? { signal } : {})),
  });
  const templateOf = (prepared: PsTallyfyPrepared) => (workflowId: string) => prepared.workflows.get(workflowId);

  return {
    async readPage(object, cursor, o) {
      const page = await source.readPage(psObject(object), cursor, o);
      return { records: page.records, skipped: page.skipped, nextCursor: page.nextCursor };
    },
    recordId: (record) => record.id,
    async prepare({ signal }) {
      // Blueprints are written as records of the templates phase (a dry run included): nothing to ensure here.
      const read = await readWorkflows(source, signal).catch((err: unknown) => {
        throw inContext(err, 'reading the source workflows');
      });
      return { workflows: read.workflows, warnings: read.warnings, created: [] };
    },
    referencedKeys: (records, prepared) => referencedKeys(records, { config: mapping, template: templateOf(prepared) }),
    resolveReferences: (keys) => target.resolveReferences(keys),
    context: (prepared, resolved) => ({
      config: mapping, resolve: (key) => resolved.get(`${key.kind}:${key.id}`), template: templateOf(prepared), now: new Date(),
    }),
    map: (record, ctx) => mapPsRecord(record, ctx),
    unresolvedNow: (record, ctx) => unresolvedNow(record, ctx),
    write: (w, o) => target.write(w, { signal: o.signal, jobId: job.id }),
  };
}
