import { randomUUID } from 'node:crypto';
import { GetBucketEncryptionCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrate, roleOfUrl } from '../../shared/db/migrate.ts';
import { putObject, tenantKey } from '../../shared/s3.ts';
import { ensureNamespace, SEARCH_ATTRIBUTES } from '../../shared/temporal.ts';
import { getTestContext, type TestContext } from '../helpers/stack.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await getTestContext();
});

describe('database foundation', () => {
  it('applies migrations once: a second run changes nothing', async () => {
    const applied = await migrate({ sql: ctx.ownerSql, appRole: roleOfUrl(ctx.config.db.url), logger: ctx.logger });
    expect(applied).toEqual([]);
    const rows = await ctx.ownerSql`select version from freight.schema_migrations order by version`;
    expect(rows.map((r) => r.version)).toContain('0001');
  });

  it('connects the service as a role that owns no table and cannot bypass RLS', async () => {
    const [role] = await ctx.sql`select current_user as name, rolsuper, rolbypassrls from pg_roles where rolname = current_user`;
    expect(role).toMatchObject({ rolsuper: false, rolbypassrls: false });
    const owned = await ctx.sql`select tablename from pg_tables where schemaname = 'freight' and tableowner = current_user`;
    expect(owned).toHaveLength(0);
    const tables = await ctx.ownerSql`
      select c.relname, c.relrowsecurity, c.relforcerowsecurity from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'freight' and c.relkind = 'r' and c.relname <> 'schema_migrations'`;
    expect(tables.length).toBeGreaterThanOrEqual(4);
    for (const t of tables) expect(t, String(t.relname)).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
  });

  it('keeps the audit trail append-only for the service role', async () => {
    await expect(ctx.sql`delete from freight.audit_events`).rejects.toThrow(/permission denied/);
    await expect(ctx.sql`update freight.audit_events set action = 'x'`).rejects.toThrow(/permission denied/);
  });

  it('leads every tenant-table index with tenant_id', async () => {
    const indexes = await ctx.ownerSql`
      select indexname, indexdef from pg_indexes where schemaname = 'freight'
      and tablename in ('api_keys', 'audit_events', 'id_map') and indexname not like '%_pkey' and indexname not like '%prefix%'`;
    for (const ix of indexes) expect(String(ix.indexdef), String(ix.indexname)).toMatch(/\(tenant_id[,)]/);
  });
});

describe('temporal namespaces', () => {
  it('registers a namespace with Freight search attributes, idempotently', async () => {
    const namespace = `freight-test-${randomUUID().slice(0, 8)}`;
    await ensureNamespace({ connection: ctx.temporal, namespace, retentionDays: 3, logger: ctx.logger });
    await ensureNamespace({ connection: ctx.temporal, namespace, retentionDays: 3, logger: ctx.logger });
    const described = await ctx.temporal.workflowService.describeNamespace({ namespace });
    expect(described.namespaceInfo?.name).toBe(namespace);
    expect(Number(described.config?.workflowExecutionRetentionTtl?.seconds)).toBe(3 * 86_400);
    const attrs = await ctx.temporal.operatorService.listSearchAttributes({ namespace });
    for (const name of Object.keys(SEARCH_ATTRIBUTES)) expect(attrs.customAttributes).toHaveProperty(name);
  });
});

describe('s3', () => {
  it('has default encryption on the bucket and SSE on every object written', async () => {
    const enc = await ctx.s3.client.send(new GetBucketEncryptionCommand({ Bucket: ctx.s3.bucket }));
    expect(enc.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');
    const key = tenantKey(randomUUID(), 'probe', `${randomUUID()}.txt`);
    await putObject(ctx.s3, { Key: key, Body: 'hello', ContentType: 'text/plain' });
    const head = await ctx.s3.client.send(new HeadObjectCommand({ Bucket: ctx.s3.bucket, Key: key }));
    expect(head.ServerSideEncryption).toBe('AES256');
  });
});
