import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import type { Actor } from '../auth/principal.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Sql } from '../db/client.ts';
import { withTenant } from '../db/scope.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { createOutboundPolicy, type OutboundPolicy } from '../outbound/outbound-policy.ts';
import { recordAudit } from '../tenancy/audit.ts';
import { decodeCursor, encodeCursor } from '../tenancy/cursor.ts';
import { ownTenantOf, UUID_PATTERN } from '../tenancy/tenant-model.ts';
import { connectorType } from '../pairs/index.ts';
import type { ConnectionChecker, ConnectionCheckResult } from './connection-check.ts';
import {
  CONNECTION_COLUMNS, CONNECTION_TYPES, EncryptionNotConfiguredError, MAX_API_KEY_LENGTH, toConnection,
  type ConnectionCredentials, type ConnectionRow, type ConnectionType, type CreateConnectionInput, type CrmConnection,
} from './connection-model.ts';

export interface ConnectionServiceOptions {
  /** A pool as the application role (RLS applies): the API's, or the worker's own. */
  sql: Sql;
  /** Seals and opens credentials; without one, connections can be read but not created or opened. */
  secretBox?: SecretBox | undefined;
  /** Where a connection may point; default: the official APIs only (no allow-list). */
  outbound?: OutboundPolicy;
}

export interface ConnectionPage {
  data: CrmConnection[];
  nextCursor: string | null;
}

const TERMINAL_JOB_STATUSES = ['completed', 'completed_with_errors', 'failed', 'cancelled'];

/** Binds a ciphertext to its row: copied into another row or tenant, it no longer opens. */
function associatedData(tenantId: string, connectionId: string): string {
  return `${tenantId}:${connectionId}`;
}

/**
 * The API validates at the edge too; this guards every other caller. Messages never echo secrets; a
 * refused base URL names its host so the tenant sees what was refused.
 */
function validated(input: CreateConnectionInput, outbound: OutboundPolicy): CreateConnectionInput {
  const issues: { path: string[]; message: string }[] = [];
  if (typeof input.name !== 'string' || input.name.trim().length === 0 || input.name.length > 200) issues.push({ path: ['name'], message: '1-200 characters' });
  const knownType = (CONNECTION_TYPES as readonly string[]).includes(input.type);
  if (!knownType) issues.push({ path: ['type'], message: `one of ${CONNECTION_TYPES.join(', ')}` });
  const base = typeof input.baseUrl !== 'string' ? { problem: 'must be a string' }
    : knownType ? outbound.checkBaseUrl(input.type, input.baseUrl) : { problem: 'depends on the type' };
  if ('problem' in base) issues.push({ path: ['baseUrl'], message: base.problem });
  // The type's own credential and settings schemas (shared/pairs); messages name paths, never values.
  const data = knownType ? connectorType(input.type) : undefined;
  const credentials = data?.credentials.safeParse(input.credentials);
  if (data && !credentials?.success) {
    for (const issue of credentials?.error?.issues ?? [{ path: [], message: 'invalid' }]) {
      const path = ['credentials', ...issue.path.map(String)];
      issues.push({ path, message: path.join('.') === 'credentials.apiKey' ? `a non-empty string of at most ${MAX_API_KEY_LENGTH} characters` : issue.message });
    }
  }
  const settings = data?.settings ? data.settings.safeParse(input.settings ?? {}) : undefined;
  if (data && !data.settings && input.settings !== undefined && !(isPlainObject(input.settings) && Object.keys(input.settings).length === 0)) {
    issues.push({ path: ['settings'], message: `${data.displayName} connections take no settings` });
  }
  if (settings && !settings.success) for (const issue of settings.error.issues) issues.push({ path: ['settings', ...issue.path.map(String)], message: issue.message });
  if (issues.length > 0 || !('url' in base) || !credentials?.success) throw new ValidationError('Invalid connection', issues);
  return {
    name: input.name.trim(), type: input.type, baseUrl: base.url, credentials: credentials.data,
    ...(settings?.success && Object.keys(settings.data).length > 0 ? { settings: settings.data } : {}),
  };
}

/**
 * A tenant's CRM connections. Credentials are sealed with AES-256-GCM before they reach the
 * database and leave it only through `getCredentials` (the worker's activities), never in a
 * response, an error, a log line or an audit row.
 */
export function createConnectionService(options: ConnectionServiceOptions) {
  const { sql, secretBox } = options;
  const outbound = options.outbound ?? createOutboundPolicy({ allowHosts: [] });

  async function create(actor: Actor, raw: CreateConnectionInput): Promise<CrmConnection> {
    if (!secretBox) throw new EncryptionNotConfiguredError();
    const input = validated(raw, outbound);
    const tenantId = ownTenantOf(actor.principal);
    const id = randomUUID();
    const sealed = secretBox.seal(JSON.stringify(input.credentials), associatedData(tenantId, id));
    const createdBy = `${actor.principal.actorType}:${actor.principal.actorId}`;
    return withTenant(sql, tenantId, async (tx) => {
      const [row] = await tx<ConnectionRow[]>`
        insert into freight.connections (id, tenant_id, name, type, base_url, settings, secret_ciphertext, secret_iv, secret_tag, key_id, created_by)
        values (${id}, ${tenantId}, ${input.name}, ${input.type}, ${input.baseUrl}, ${input.settings ? tx.json(input.settings as postgres.JSONValue) : null},
          ${sealed.ciphertext}, ${sealed.iv}, ${sealed.tag}, ${sealed.keyId}, ${createdBy})
        returning ${tx(CONNECTION_COLUMNS)}`;
      if (!row) throw new Error('connection insert returned no row');
      await recordAudit(tx, actor, {
        tenantId, action: 'connection.create', targetType: 'connection', targetId: id,
        details: { name: input.name, type: input.type, baseUrl: input.baseUrl, keyId: sealed.keyId },
      });
      return toConnection(row);
    });
  }

  /** Newest first; deleted connections are not listed. */
  async function list(actor: Actor, page: { limit: number; cursor?: string | undefined }): Promise<ConnectionPage> {
    const tenantId = ownTenantOf(actor.principal);
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    if (page.cursor && !after) throw new ValidationError('Invalid cursor', [{ path: ['cursor'], message: 'not a cursor from a previous page' }]);
    const rows = await withTenant(sql, tenantId, (tx) => tx<ConnectionRow[]>`
      select ${tx(CONNECTION_COLUMNS)} from freight.connections
      where deleted_at is null
        and ${after ? tx`(date_trunc('milliseconds', created_at), id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : tx`true`}
      order by date_trunc('milliseconds', created_at) desc, id desc limit ${page.limit + 1}`);
    const data = rows.slice(0, page.limit).map(toConnection);
    const last = data.at(-1);
    return { data, nextCursor: rows.length > page.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
  }

  async function get(actor: Actor, connectionId: string): Promise<CrmConnection> {
    const tenantId = ownTenantOf(actor.principal);
    if (!UUID_PATTERN.test(connectionId)) throw new NotFoundError('Connection');
    const [row] = await withTenant(sql, tenantId, (tx) => tx<ConnectionRow[]>`
      select ${tx(CONNECTION_COLUMNS)} from freight.connections where id = ${connectionId} and deleted_at is null`);
    if (!row) throw new NotFoundError('Connection');
    return toConnection(row);
  }

  /**
   * Replaces a connection's credentials (a revoked or rotated token), sealed like on create, and
   * optionally its name. Type and base URL stay: jobs keep pointing at the same system. A resumed
   * job run reads the new credentials (the worker builds connectors per run).
   */
  async function update(actor: Actor, connectionId: string, patch: { name?: string | undefined; credentials: unknown }): Promise<CrmConnection> {
    if (!secretBox) throw new EncryptionNotConfiguredError();
    const tenantId = ownTenantOf(actor.principal);
    if (!UUID_PATTERN.test(connectionId)) throw new NotFoundError('Connection');
    return withTenant(sql, tenantId, async (tx) => {
      const [current] = await tx<ConnectionRow[]>`
        select ${tx(CONNECTION_COLUMNS)} from freight.connections where id = ${connectionId} and deleted_at is null for update`;
      if (!current) throw new NotFoundError('Connection');
      // Validated as a create of the same type, URL and settings would be: one set of rules. A body of
      // the right shape for another type is a 422: only the stored connection's type makes it wrong.
      const input = mismatchIs422(current.type, () => validated({
        name: patch.name ?? current.name, type: current.type, baseUrl: current.base_url, credentials: patch.credentials as ConnectionCredentials,
        ...(current.settings ? { settings: current.settings } : {}),
      } as CreateConnectionInput, outbound));
      const sealed = secretBox.seal(JSON.stringify(input.credentials), associatedData(tenantId, connectionId));
      const [row] = await tx<ConnectionRow[]>`
        update freight.connections set name = ${input.name}, secret_ciphertext = ${sealed.ciphertext}, secret_iv = ${sealed.iv},
          secret_tag = ${sealed.tag}, key_id = ${sealed.keyId}
        where id = ${connectionId} returning ${tx(CONNECTION_COLUMNS)}`;
      if (!row) throw new NotFoundError('Connection');
      await recordAudit(tx, actor, {
        tenantId, action: 'connection.update', targetType: 'connection', targetId: connectionId,
        details: { name: input.name, credentialsReplaced: true, keyId: sealed.keyId },
      });
      return toConnection(row);
    });
  }

  /**
   * Soft delete. Refused while a job that is not finished uses the connection; the row lock taken
   * here and the share lock of job creation keep the two from crossing.
   */
  async function remove(actor: Actor, connectionId: string): Promise<void> {
    const tenantId = ownTenantOf(actor.principal);
    if (!UUID_PATTERN.test(connectionId)) throw new NotFoundError('Connection');
    await withTenant(sql, tenantId, async (tx) => {
      const [row] = await tx<ConnectionRow[]>`
        update freight.connections set deleted_at = now() where id = ${connectionId} and deleted_at is null
        returning ${tx(CONNECTION_COLUMNS)}`;
      if (!row) throw new NotFoundError('Connection');
      const [job] = await tx<{ id: string; status: string }[]>`
        select id, status from freight.jobs
        where (source_connection_id = ${connectionId} or target_connection_id = ${connectionId})
          and status <> all(${TERMINAL_JOB_STATUSES})
        order by created_at desc limit 1`;
      if (job) throw new ConflictError(`Connection is used by job ${job.id}, which is ${job.status}; cancel it or wait until it finishes`, { jobId: job.id, status: job.status });
      await recordAudit(tx, actor, {
        tenantId, action: 'connection.delete', targetType: 'connection', targetId: connectionId,
        details: { name: row.name, type: row.type },
      });
    });
  }

  /**
   * The decrypted credentials of a live connection, for the worker's connectors. Works without the
   * API: the worker constructs the service with its own pool and the same keys.
   */
  async function getCredentials(tenantId: string, connectionId: string): Promise<ConnectionCredentials> {
    if (!secretBox) throw new EncryptionNotConfiguredError();
    if (!UUID_PATTERN.test(tenantId) || !UUID_PATTERN.test(connectionId)) throw new NotFoundError('Connection');
    const [row] = await withTenant(sql, tenantId, (tx) => tx<{
      type: ConnectionType; base_url: string; settings: Record<string, unknown> | null; secret_ciphertext: Buffer; secret_iv: Buffer; secret_tag: Buffer; key_id: string;
    }[]>`
      select type, base_url, settings, secret_ciphertext, secret_iv, secret_tag, key_id
      from freight.connections where id = ${connectionId} and deleted_at is null`);
    if (!row) throw new NotFoundError('Connection');
    let plaintext: string;
    try {
      plaintext = secretBox.open(
        { ciphertext: row.secret_ciphertext, iv: row.secret_iv, tag: row.secret_tag, keyId: row.key_id },
        associatedData(tenantId, connectionId),
      );
    } catch {
      // No cause attached: nothing about the key material travels further than this message.
      throw new Error(`credentials of connection ${connectionId} cannot be decrypted (key ${row.key_id} missing or wrong)`);
    }
    const secrets = JSON.parse(plaintext) as Record<string, unknown>;
    return { ...secrets, type: row.type, baseUrl: row.base_url, ...(row.settings ? { settings: row.settings } : {}) };
  }

  /**
   * Runs the connection's check (`check`: the connector types' checks behind the pair boundary) and
   * audits it as `connection.test` with its outcome: a test calls the vendor's API with the tenant's
   * credentials and may spend its quota, so who ran it and when is on record.
   */
  async function test(actor: Actor, connectionId: string, check: ConnectionChecker): Promise<ConnectionCheckResult> {
    const tenantId = ownTenantOf(actor.principal);
    const connection = await get(actor, connectionId);
    const result = await check({ tenantId, connectionId: connection.id });
    await withTenant(sql, tenantId, (tx) => recordAudit(tx, actor, {
      tenantId, action: 'connection.test', targetType: 'connection', targetId: connection.id,
      details: { type: connection.type, ok: result.ok, failed: result.failed, errors: result.checks.filter((c) => c.status === 'error').map((c) => c.name) },
    }));
    return result;
  }

  return { create, list, get, update, remove, getCredentials, test };
}

export type ConnectionService = ReturnType<typeof createConnectionService>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mismatchIs422<T>(type: ConnectionType, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ValidationError) {
      throw new AppError('credentials_mismatch', 422, `Invalid credentials for a ${connectorType(type).displayName} connection`, { details: err.details });
    }
    throw err;
  }
}
