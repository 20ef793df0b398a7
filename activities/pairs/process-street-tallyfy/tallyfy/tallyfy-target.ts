import { AUTH, CONFIG, OUTBOUND_REFUSED, type ErrorKind } from '../../../../shared/error-kinds.ts';
import { createKeyedLock } from '../../../connectors/concurrency.ts';
import { ConnectorError, isConnectorError } from '../../../connectors/connector-error.ts';
import { sourceKeyString, type IdMapStore } from '../../../connectors/id-map/id-map.ts';
import type { SourceKey, TallyfyWrite, TallyfyWriteResult, TargetRef } from '../contract.ts';
import { callsPerWrite, type TallyfyWriteKind, type WriteSizes } from './eta.ts';
import { writeBlueprint } from './tallyfy-blueprints.ts';
import type { TallyfyClient } from './tallyfy-client.ts';
import { writeComment, writeFile, type Download } from './tallyfy-collab.ts';
import { writeGroup, writeMember } from './tallyfy-foundation.ts';
import { writeProcess } from './tallyfy-processes.ts';
import type { WriteContext } from './tallyfy-shapes.ts';

export interface TallyfyTargetOptions {
  client: TallyfyClient;
  /** Scoped to (tenant, scope) by its creator: Tallyfy has no upsert, so every write goes through it. */
  idMap: IdMapStore;
  /** Source file bytes (the pair runtime downloads with the source's credentials); files fail `config` without it. */
  download?: Download;
}

export interface TallyfyConnectionCheck {
  reachable: boolean;
  tokenAccepted: boolean;
  organizationId: string;
  /** The reference documents no `GET /me`: identity is the organisation answering a one-user list. */
  identityCall: 'GET /users?per_page=1';
  /** Users the organisation lists (its `meta.pagination.total`), when it answered. */
  users: number | null;
  /** Calls of one first-time write per kind (no steps, captures or tasks: add them with `callsPerWrite(kind, sizes)`). */
  callsPerWrite: Record<TallyfyWriteKind, number>;
  error?: { kind: ErrorKind; message: string };
}

export interface TallyfyTarget {
  readonly system: 'tallyfy';
  write(intent: TallyfyWrite, options?: { signal?: AbortSignal; jobId?: string }): Promise<TallyfyWriteResult>;
  resolveReferences(keys: readonly SourceKey[]): Promise<Map<string, TargetRef>>;
  checkConnection(options?: { signal?: AbortSignal }): Promise<TallyfyConnectionCheck>;
  /** Calls of one first-time write of a kind (eta.ts), for the plan. */
  callsPerWrite(kind: TallyfyWriteKind, sizes?: WriteSizes): number;
}

/** Shared by every target of this process (attempts of one batch may run on different runtimes). */
const oneAtATime = createKeyedLock();

/**
 * Tallyfy as this pair's target. Tallyfy has no upsert, external id or idempotency key: every kind
 * goes id map → look-up (by the source marker, email or unique name) → create → id map, so a write
 * repeated after a crash between the create and the id-map put finds its object instead of duplicating it.
 */
export function createTallyfyTarget(options: TallyfyTargetOptions): TallyfyTarget {
  const { client, idMap } = options;
  function dispatch(ctx: WriteContext, intent: TallyfyWrite): Promise<TallyfyWriteResult> {
    switch (intent.kind) {
      case 'member': return writeMember(ctx, intent);
      case 'group': return writeGroup(ctx, intent);
      case 'blueprint': return writeBlueprint(ctx, intent);
      case 'process': return writeProcess(ctx, intent);
      case 'comment': return writeComment(ctx, intent);
      case 'file': {
        const download = options.download;
        if (!download) return Promise.reject(new ConnectorError({ kind: CONFIG, message: 'Tallyfy target: no download function for files' }));
        return writeFile(ctx, intent, download);
      }
    }
  }
  return {
    system: 'tallyfy',
    write(intent, opts = {}) {
      const ctx: WriteContext = { client, idMap, ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.jobId ? { jobId: opts.jobId } : {}) };
      // One write per source object at a time in this process: the look-up before a create only
      // closes the crash window if no other attempt is between its look-up and its create.
      return oneAtATime(`${client.organizationId}:${sourceKeyString(intent.source)}`, () => dispatch(ctx, intent));
    },
    resolveReferences: (keys) => idMap.get(keys),
    async checkConnection(opts = {}) {
      const kinds: TallyfyWriteKind[] = ['member', 'group', 'blueprint', 'process', 'comment', 'file'];
      const base = {
        organizationId: client.organizationId, identityCall: 'GET /users?per_page=1' as const,
        callsPerWrite: Object.fromEntries(kinds.map((k) => [k, callsPerWrite(k)])) as Record<TallyfyWriteKind, number>,
      };
      try {
        const body = await client.request<{ meta?: { pagination?: { total?: number } }; data?: unknown[] }>('GET', '/users', { query: { per_page: 1 }, signal: opts.signal });
        return { ...base, reachable: true, tokenAccepted: true, users: body.meta?.pagination?.total ?? body.data?.length ?? null };
      } catch (error) {
        if (!isConnectorError(error)) throw error;
        const answered = error.status !== undefined && error.kind !== OUTBOUND_REFUSED;
        return { ...base, reachable: answered, tokenAccepted: answered && error.kind !== AUTH, users: null, error: { kind: error.kind, message: error.message } };
      }
    },
    callsPerWrite,
  };
}
