import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.ts';
import { CONNECTOR_TYPES } from '../pairs/index.ts';
import type { Sql, TransactionSql } from './client.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Arbitrary constant: serialises concurrent migrators (API and worker starting together). */
const MIGRATION_LOCK_KEY = 7_246_518_301;

/** Tables the service may append to but never rewrite. */
const APPEND_ONLY_TABLES = ['freight.audit_events', 'freight.job_events'];
/** Tables the service only reads (filled by the migrate step). */
const READ_ONLY_TABLES = ['freight.connection_types'];

interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

async function readMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const sql = await readFile(path.join(dir, file), 'utf8');
      return {
        version: file.slice(0, 4),
        name: file.slice(5, -4),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    }),
  );
}

export interface MigrateOptions {
  /** Connection as the schema owner. */
  sql: Sql;
  /** Role the service connects as; gets DML grants but owns nothing. */
  appRole: string;
  logger: Logger;
  dir?: string;
}

/**
 * Applies pending migrations in order, each in its own transaction, under an advisory lock, and
 * refuses to run when an applied migration's file has changed since (history must not be rewritten).
 */
export async function migrate(options: MigrateOptions): Promise<string[]> {
  const { sql, logger } = options;
  const migrations = await readMigrations(options.dir ?? MIGRATIONS_DIR);
  const applied: string[] = [];
  await sql.begin(async (tx) => {
    // The connection's backstop timeouts are for the service's short transactions: a migration may
    // rebuild a large table, and waits here while another process migrates.
    await tx`select set_config('statement_timeout', '0', true), set_config('lock_timeout', '0', true),
      set_config('idle_in_transaction_session_timeout', '0', true)`;
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`;
    await tx`create schema if not exists freight`;
    await tx`
      create table if not exists freight.schema_migrations (
        version text primary key, name text not null, checksum text not null,
        applied_at timestamptz not null default now())`;
    const rows = await tx<{ version: string; checksum: string }[]>`select version, checksum from freight.schema_migrations`;
    const done = new Map(rows.map((r) => [r.version, r.checksum]));
    for (const m of migrations) {
      const previous = done.get(m.version);
      if (previous !== undefined) {
        if (previous !== m.checksum) throw new Error(`Migration ${m.version}_${m.name} was changed after it was applied`);
        continue;
      }
      await tx.unsafe(m.sql);
      await tx`insert into freight.schema_migrations (version, name, checksum) values (${m.version}, ${m.name}, ${m.checksum})`;
      applied.push(`${m.version}_${m.name}`);
    }
    await upsertConnectionTypes(tx);
    await grantAppRole(tx, options.appRole);
  });
  if (applied.length > 0) logger.info({ applied }, 'database migrations applied');
  return applied;
}

async function grantAppRole(tx: TransactionSql, appRole: string): Promise<void> {
  const [{ owner } = { owner: '' }] = await tx<{ owner: string }[]>`select current_user as owner`;
  if (owner === appRole) return; // single-role setups: RLS is still forced, grants are moot
  const role = tx(appRole);
  await tx`grant usage on schema freight to ${role}`;
  await tx`grant select, insert, update, delete on all tables in schema freight to ${role}`;
  await tx`grant usage, select on all sequences in schema freight to ${role}`;
  await tx`grant execute on all functions in schema freight to ${role}`;
  await tx`revoke all on freight.schema_migrations from ${role}`;
  for (const table of APPEND_ONLY_TABLES) {
    await tx.unsafe(`revoke update, delete on ${table} from "${appRole.replaceAll('"', '""')}"`);
  }
  for (const table of READ_ONLY_TABLES) {
    if (await tableExists(tx, table)) await tx.unsafe(`revoke insert, update, delete on ${table} from "${appRole.replaceAll('"', '""')}"`);
  }
}

async function tableExists(tx: TransactionSql, table: string): Promise<boolean> {
  const [row] = await tx<{ found: boolean }[]>`select to_regclass(${table}) is not null as found`;
  return row?.found === true;
}

/**
 * Every connector type the pair data declares, as rows of `freight.connection_types` (the foreign
 * key of `connections.type`). An upsert: run at every migrate, it adds a new pair's types and keeps
 * display names current; a type no longer declared stays (connections may still name it).
 */
export async function upsertConnectionTypes(tx: TransactionSql): Promise<void> {
  if (!(await tableExists(tx, 'freight.connection_types'))) return;
  for (const t of CONNECTOR_TYPES) {
    await tx`insert into freight.connection_types (type, display_name) values (${t.type}, ${t.displayName})
      on conflict (type) do update set display_name = excluded.display_name`;
  }
}

/** The role name in a postgres URL, i.e. who the service will connect as. */
export function roleOfUrl(url: string): string {
  return decodeURIComponent(new URL(url).username || 'postgres');
}
