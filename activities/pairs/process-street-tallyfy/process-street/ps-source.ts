import { KEY, PS_OBJECTS, type PsAttachment, type PsComment, type PsObject, type PsRecord } from '../contract.ts';
import { NOT_FOUND, VALIDATION } from '../../../../shared/error-kinds.ts';
import { isConnectorError, type ConnectorError } from '../../../connectors/connector-error.ts';
import { planCalls, type PsCallPlan, type PsPlanCounts } from './ps-call-plan.ts';
import type { PsClient } from './ps-client.ts';
import { encodeCursor, hrefOf } from './ps-cursor.ts';
import { listPage, mapLimit, PS_PAGE } from './ps-pages.ts';
import { readPerRun } from './ps-per-run.ts';
import { userOf, type Converted } from './ps-records.ts';
import { readRun } from './ps-runs.ts';
import { readGroups, scimAbsent } from './ps-scim.ts';
import type { PsReadOptions, PsSkipped, PsSourcePage } from './ps-source-types.ts';
import type { RawRun, RawUser, RawWorkflow } from './ps-types.ts';
import { readWorkflow } from './ps-workflows.ts';

export type { PsReadOptions, PsSkipped, PsSourcePage };

export interface ProcessStreetSourceOptions {
  client: PsClient;
  /** Sub-reads (workflows or runs of a page, tasks of a run) in flight at once (default 4). */
  concurrency?: number;
  /** Most calls one comments/attachments page spends walking runs without any (default 100). */
  maxCallsPerPage?: number;
}

export type PsConnectionCheck = { ok: true; label: string | null } | { ok: false; error: ReturnType<ConnectorError['toJSON']> };

export interface ProcessStreetSource {
  readonly system: 'process-street';
  readonly objects: readonly PsObject[];
  readPage(object: PsObject, cursor: string | null, options?: PsReadOptions): Promise<PsSourcePage>;
  /** Best effort: users, workflows and runs by paging their listings, groups from SCIM; null when unknown (comments, attachments). */
  countObjects(object: PsObject, options?: { signal?: AbortSignal }): Promise<number | null>;
  /** Calls per endpoint for a job over these counts (ps-call-plan.ts). */
  planCalls(counts: PsPlanCounts, objects?: readonly PsObject[]): PsCallPlan;
  /** `GET /testAuth`: the key's label, or the classified error. */
  checkConnection(options?: { signal?: AbortSignal }): Promise<PsConnectionCheck>;
  /** Bytes of an attachment; only URLs on the configured API host (anything else is refused). */
  download(url: string, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
}

/** Listed objects: envelope key, path, id-map kind of a skipped item. */
const LISTINGS = {
  users: { key: 'users', path: '/users', skipKind: KEY.user },
  workflows: { key: 'workflows', path: '/workflows', skipKind: KEY.workflow },
  runs: { key: 'data', path: '/workflow-runs/list', skipKind: KEY.run },
} as const;

/**
 * Process Street v1.1 as the source of the pair. Every object reads whole API pages of 20 while
 * another fits in `pageSize` (at least one), following `links[name=next].href`; workflows and runs
 * come enriched with their sub-reads (ps-workflows.ts, ps-runs.ts); comments and attachments are read
 * run by run (ps-per-run.ts); groups come from SCIM when the key has it (ps-scim.ts). A record that
 * cannot be read (404 meanwhile, malformed) is `skipped` with the reason, never a failed batch.
 */
export function createProcessStreetSource(options: ProcessStreetSourceOptions): ProcessStreetSource {
  const { client } = options;
  const concurrency = options.concurrency ?? 4;
  const maxCallsPerPage = options.maxCallsPerPage ?? 100;

  /** A listing's items enriched one by one; a not_found while enriching skips that item. */
  async function readListing<Raw extends { id?: string }>(
    object: keyof typeof LISTINGS, cursor: string | null, opts: PsReadOptions,
    convert: (raw: Raw & { id: string }) => Promise<Converted<PsRecord>>,
  ): Promise<PsSourcePage> {
    const { key, path, skipKind } = LISTINGS[object];
    const wanted = Math.max(1, opts.pageSize ?? PS_PAGE);
    const records: PsRecord[] = [];
    const skipped: PsSkipped[] = [];
    let href = hrefOf(cursor, object);
    let read = 0;
    do {
      const page = await listPage<Raw>(client, key, href === null ? { path } : { href }, opts.signal);
      href = page.next;
      read += page.items.length;
      type Outcome = { id: string; result: Converted<PsRecord>; kind: typeof NOT_FOUND | typeof VALIDATION };
      const converted = await mapLimit(page.items, concurrency, async (raw): Promise<Outcome> => {
        if (typeof raw.id !== 'string' || raw.id === '') return { id: 'unknown', result: { ok: false, reason: `${object}: an item listed without id` }, kind: VALIDATION };
        const id = raw.id;
        try {
          return { id, result: await convert(raw as Raw & { id: string }), kind: VALIDATION };
        } catch (error) {
          // Deleted between the listing and its sub-reads (a run's tasks answering 404).
          if (isConnectorError(error) && error.kind === NOT_FOUND) return { id, result: { ok: false, reason: error.message }, kind: NOT_FOUND };
          throw error;
        }
      });
      for (const { id, result, kind } of converted) {
        if (result.ok) records.push(result.value);
        else skipped.push({ source: { kind: skipKind, id }, kind, reason: result.reason });
      }
    } while (href !== null && read + PS_PAGE <= wanted);
    return { records, skipped, nextCursor: href === null ? null : encodeCursor({ u: href }), warnings: [] };
  }

  async function countListing(object: keyof typeof LISTINGS, signal?: AbortSignal): Promise<number> {
    const { key, path } = LISTINGS[object];
    let page = await listPage<unknown>(client, key, { path }, signal);
    let n = page.items.length;
    while (page.next !== null) {
      page = await listPage<unknown>(client, key, { href: page.next }, signal);
      n += page.items.length;
    }
    return n;
  }

  return {
    system: 'process-street',
    objects: PS_OBJECTS,
    async readPage(object, cursor, opts = {}) {
      const wanted = Math.max(1, opts.pageSize ?? PS_PAGE);
      switch (object) {
        case 'users':
          return readListing<RawUser>('users', cursor, opts, async (raw) => userOf(raw));
        case 'groups':
          return readGroups(client, cursor, wanted, opts.signal);
        case 'workflows':
          return readListing<RawWorkflow>('workflows', cursor, opts, (raw) => readWorkflow(client, raw, concurrency, opts.signal));
        case 'runs':
          return readListing<RawRun>('runs', cursor, opts, (raw) => readRun(client, raw, concurrency, opts.signal));
        case 'comments':
        case 'attachments': {
          const page = await readPerRun<PsComment | PsAttachment>(client, object, cursor, { wanted, maxCalls: maxCallsPerPage, signal: opts.signal });
          return { ...page, warnings: [] };
        }
      }
    },
    async countObjects(object, opts = {}) {
      switch (object) {
        case 'users':
        case 'workflows':
        case 'runs':
          return countListing(object, opts.signal);
        case 'groups':
          try {
            const body = await client.getScim<{ totalResults?: unknown }>('/Groups', [['startIndex', 1], ['count', 1]], opts.signal);
            return typeof body.totalResults === 'number' ? body.totalResults : null;
          } catch (error) {
            if (scimAbsent(error)) return 0;
            throw error;
          }
        default:
          return null;
      }
    },
    planCalls: (counts, objects) => planCalls(counts, objects),
    async checkConnection(opts = {}) {
      try {
        const body = await client.get<{ apiKeyLabel?: unknown }>('/testAuth', [], opts.signal);
        return { ok: true, label: typeof body?.apiKeyLabel === 'string' ? body.apiKeyLabel : null };
      } catch (error) {
        if (isConnectorError(error)) return { ok: false, error: error.toJSON() };
        throw error;
      }
    },
    download: (url, opts) => client.download(url, opts),
  };
}
