import type { Sql, TransactionSql } from '../db/client.ts';
import { withAdminScope, withTenant } from '../db/scope.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { generateApiKey, type KeyEnvironment } from '../auth/api-key.ts';
import type { Actor } from '../auth/principal.ts';
import { recordAudit, scopeActorName } from './audit.ts';
import { tenantScopeFor, UUID_PATTERN } from './tenant-model.ts';

/** Roles a tenant key can carry; admin keys belong to no tenant and are not minted here. */
export type TenantKeyRole = 'engineer' | 'viewer';

export interface ApiKey {
  id: string;
  tenantId: string | null;
  name: string;
  role: 'admin' | 'engineer' | 'viewer';
  environment: KeyEnvironment;
  /** Non-secret handle, e.g. `frt_live_Ab3dE6gH`, to recognise a key in lists and logs. */
  prefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface ApiKeyRow {
  id: string;
  tenant_id: string | null;
  name: string;
  role: ApiKey['role'];
  environment: KeyEnvironment;
  prefix: string;
  created_by: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

// Never `select *`: the hash stays in the database.
const COLUMNS = ['id', 'tenant_id', 'name', 'role', 'environment', 'prefix', 'created_by', 'created_at', 'last_used_at', 'revoked_at'];

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    role: row.role,
    environment: row.environment,
    prefix: row.prefix,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

export interface CreateApiKeyInput {
  tenantId: string;
  name: string;
  role: TenantKeyRole;
  environment: KeyEnvironment;
}

/** Tenant API keys: create (plaintext returned once), list (never secrets), revoke (idempotent). */
export function createApiKeyService(options: { sql: Sql }) {
  const { sql } = options;

  async function create(actor: Actor, input: CreateApiKeyInput): Promise<{ apiKey: ApiKey; plaintext: string }> {
    if (input.name.trim().length === 0 || input.name.length > 200) {
      throw new ValidationError('Invalid API key', [{ path: ['name'], message: '1-200 characters' }]);
    }
    const tenantId = tenantScopeFor(actor.principal, input.tenantId);
    return withTenant(sql, tenantId, async (tx) => {
      await assertTenantActive(tx, tenantId);
      const createdBy = `${actor.principal.actorType}:${actor.principal.actorId}`;
      // A prefix collision (8 base62 characters) is astronomically rare; draw again rather than fail.
      for (let attempt = 0; attempt < 3; attempt++) {
        const key = generateApiKey(input.environment);
        const [row] = await tx<ApiKeyRow[]>`
          insert into freight.api_keys (tenant_id, name, role, environment, prefix, secret_hash, created_by)
          values (${tenantId}, ${input.name}, ${input.role}, ${input.environment}, ${key.prefix}, ${key.secretHash}, ${createdBy})
          on conflict (prefix) do nothing returning ${tx(COLUMNS)}`;
        if (!row) continue;
        await recordAudit(tx, actor, {
          tenantId, action: 'api_key.create', targetType: 'api_key', targetId: row.id,
          details: { name: row.name, role: row.role, environment: row.environment, prefix: row.prefix },
        });
        return { apiKey: toApiKey(row), plaintext: key.plaintext };
      }
      throw new Error('could not allocate a unique API key prefix');
    });
  }

  async function list(actor: Actor, tenantIdParam: string): Promise<ApiKey[]> {
    const tenantId = tenantScopeFor(actor.principal, tenantIdParam);
    return withTenant(sql, tenantId, async (tx) => {
      const [tenant] = await tx`select id from freight.tenants where id = ${tenantId}`;
      if (!tenant) throw new NotFoundError('Tenant');
      const rows = await tx<ApiKeyRow[]>`
        select ${tx(COLUMNS)} from freight.api_keys where tenant_id = ${tenantId} order by created_at desc, id`;
      return rows.map(toApiKey);
    });
  }

  /**
   * Revokes a key; revoking a revoked key returns it unchanged (and is not audited again). A tenant
   * principal sees only its tenant's keys, so anyone else's key id is simply not found.
   */
  async function revoke(actor: Actor, keyId: string): Promise<ApiKey> {
    if (!UUID_PATTERN.test(keyId)) throw new NotFoundError('API key');
    const { principal } = actor;
    const work = async (tx: TransactionSql): Promise<ApiKey> => {
      const [row] = await tx<ApiKeyRow[]>`
        update freight.api_keys set revoked_at = now()
        where id = ${keyId} and revoked_at is null returning ${tx(COLUMNS)}`;
      if (row) {
        await recordAudit(tx, actor, {
          tenantId: row.tenant_id, action: 'api_key.revoke', targetType: 'api_key', targetId: row.id,
          details: { name: row.name, prefix: row.prefix },
        });
        return toApiKey(row);
      }
      const [existing] = await tx<ApiKeyRow[]>`select ${tx(COLUMNS)} from freight.api_keys where id = ${keyId}`;
      if (!existing) throw new NotFoundError('API key');
      return toApiKey(existing);
    };
    if (principal.tenantId !== null) return withTenant(sql, principal.tenantId, work);
    // Admins revoke any key; the api_key.revoke row is the audit record, so the scope itself is not.
    return withAdminScope(sql, { actor: scopeActorName(actor), reason: 'revoke API key', audit: false }, work);
  }

  return { create, list, revoke };
}

async function assertTenantActive(tx: TransactionSql, tenantId: string): Promise<void> {
  const [tenant] = await tx<{ status: string }[]>`select status from freight.tenants where id = ${tenantId}`;
  if (!tenant) throw new NotFoundError('Tenant');
  if (tenant.status !== 'active') throw new ConflictError(`Tenant is ${tenant.status}; keys can be created once it is active`);
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;
