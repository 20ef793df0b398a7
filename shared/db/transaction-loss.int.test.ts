import { randomBytes, randomUUID } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestContext, type TestContext } from '../../test/helpers/stack.ts';
import { createSql, type Sql } from './client.ts';
import { isConnectionLoss } from './connection-loss.ts';
import { withTenant } from './scope.ts';
import { DEFAULT_DB_TIMEOUTS } from './timeouts.ts';

// postgres.js with Freight's postinstall patch (infra/patch-postgres.mjs) against a real server:
// what a transaction does when PostgreSQL drops its connection (a restart, pg_terminate_backend,
// idle_in_transaction_session_timeout). Unpatched 3.4.9 leaves promises pending forever and runs
// the transaction's later statements on the reconnected connection, outside any transaction.
// Pools here connect as the owner role: it may terminate sessions of its own role.

type Settled = { status: 'fulfilled'; value: unknown } | { status: 'rejected'; reason: unknown } | { status: 'pending' };

/** How `promise` stands after at most `ms` (a hang shows as `pending`, not as a test timeout). */
async function within(promise: Promise<unknown>, ms: number): Promise<Settled> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<Settled>((resolve) => { timer = setTimeout(() => resolve({ status: 'pending' }), ms); });
  const settled = promise.then((value): Settled => ({ status: 'fulfilled', value }), (reason: unknown): Settled => ({ status: 'rejected', reason }));
  try {
    return await Promise.race([settled, pending]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * True when the statement runs in a transaction of its own, false inside one begun earlier
 * (sent as a simple query: one message, so its statement and transaction start together).
 */
const OWN_TRANSACTION = 'select now() = statement_timestamp() as own';

const code = (s: Settled): unknown => (s.status === 'rejected' ? (s.reason as { code?: unknown }).code : s.status);
/** Rejected as a lost connection (CONNECTION_CLOSED, ECONNRESET, ...), as callers expect to retry. */
const lost = (s: Settled): boolean => s.status === 'rejected' && isConnectionLoss(s.reason);

let ctx: TestContext;
const table = `tx_loss_${randomBytes(4).toString('hex')}`;
const pools: Sql[] = [];

/** A pool of the owner role whose sessions are found by their application name. */
function ownerPool(max: number): { sql: Sql; app: string } {
  const app = `freight-tx-loss-${randomBytes(3).toString('hex')}`;
  const sql = createSql({ url: ctx.config.db.migrationUrl, max, applicationName: app });
  pools.push(sql);
  return { sql, app };
}

async function sessions(app: string): Promise<string[]> {
  const rows = await ctx.ownerSql<{ state: string | null }[]>`select state from pg_stat_activity where application_name = ${app}`;
  return rows.map((r) => r.state ?? 'unknown');
}

beforeAll(async () => {
  ctx = await getTestContext();
  await ctx.ownerSql.unsafe(`create table public.${table} (n int not null)`);
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end({ timeout: 1 })));
  await ctx.ownerSql.unsafe(`drop table if exists public.${table}`);
});

/**
 * A transaction of `sql` (one connection) waits in its callback with statements queued behind it;
 * `cut` then takes its connection away. Checks, softly (a failing run shows every way the driver
 * misbehaved): everything pending rejects within seconds as a lost connection, the reconnected
 * connection serves other work, a statement the callback sends afterwards fails too, and nothing of
 * the transaction lands in the table.
 */
async function strandTransaction(sql: Sql, cut: (pid: number) => Promise<void>): Promise<void> {
  await sql`select 1`;
  let pid = 0;
  const queued: Array<Promise<unknown>> = [];
  let late: Promise<unknown> | undefined;
  let ready: () => void = () => undefined;
  const isReady = new Promise<void>((r) => { ready = r; });
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => { release = r; });

  const tx = withTenant(sql, randomUUID(), async (t) => {
    [{ pid = 0 } = {}] = await t<{ pid: number }[]>`select pg_backend_pid() as pid`;
    // A statement with parameters is described first: until it answers, what follows waits in
    // the transaction's own queue (the queue upstream never settles, porsager/postgres#1186).
    queued.push(
      t`select pg_sleep(${30})`.execute(),
      t`select ${1}::int as one`.execute(),
      t`insert into ${t(table)} values (${1})`.execute(),
    );
    ready();
    await gate;
    // Issued after the close, once the pool has reconnected: must not land anywhere.
    late = t`insert into ${t(table)} values (${2})`.execute();
    await late;
  });
  void tx.catch(() => undefined);

  await isReady;
  await cut(pid);
  expect.soft(lost(await within(tx, 5_000)), 'begin()').toBe(true);
  const outcomes = await Promise.all(queued.map((q) => within(q, 5_000)));
  expect.soft(outcomes.map(lost), 'queued statements').toEqual([true, true, true]);

  // The pool's connection, reconnected, serves other work (and not with the old backend's error).
  expect.soft(await within(sql.unsafe(OWN_TRANSACTION), 5_000)).toEqual({ status: 'fulfilled', value: [{ own: true }] });
  release();
  await expect.poll(() => late !== undefined).toBe(true);
  expect.soft(lost(await within(late ?? Promise.resolve(), 5_000)), 'statement sent after the close').toBe(true);

  // Nothing of the transaction was committed, before or after the close (its rollback included:
  // upstream sends that late on the reconnected connection as well).
  const [{ n } = { n: -1 }] = await ctx.ownerSql<{ n: number }[]>`select count(*)::int as n from ${ctx.ownerSql(table)}`;
  expect.soft(n, 'rows the transaction left').toBe(0);
  expect(await sql`select 1 as ok`).toEqual([{ ok: 1 }]);
}

/** A TCP proxy to PostgreSQL whose connections can be reset, as a failover or a network fault does. */
async function resettableProxy(target: string): Promise<{ url: string; reset(): void; close(): Promise<void> }> {
  const upstreamUrl = new URL(target);
  const pairs = new Set<readonly [Socket, Socket]>();
  const server = createServer((client) => {
    const upstream = connect(Number(upstreamUrl.port), upstreamUrl.hostname);
    const pair = [client, upstream] as const;
    pairs.add(pair);
    for (const socket of pair) socket.on('error', () => undefined).on('close', () => pairs.delete(pair));
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    reset() {
      for (const [client, upstream] of pairs) {
        client.resetAndDestroy();
        upstream.destroy();
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('a transaction whose connection PostgreSQL drops', () => {
  it('pg_terminate_backend: every pending promise settles, nothing runs on the reconnected connection, the pool goes on', async () => {
    const { sql, app } = ownerPool(1);
    await strandTransaction(sql, async (pid) => {
      await ctx.ownerSql`select pg_terminate_backend(${pid})`;
    });
    expect(await sessions(app)).not.toContain('idle in transaction');
  });

  it('connection reset (ECONNRESET, as in a failover): the same', async () => {
    const proxy = await resettableProxy(ctx.config.db.migrationUrl);
    const sql = createSql({ url: proxy.url, max: 1 });
    try {
      await strandTransaction(sql, async () => proxy.reset());
    } finally {
      // The pool first: the proxy's close waits for every connection through it.
      await sql.end({ timeout: 1 });
      await proxy.close();
    }
  });

  it('reserves the connection for BEGIN written as the query that fills the pipeline', async () => {
    // upstream: BEGIN filling the pipeline (the 101st statement in flight) skipped the reservation,
    // so the connection went back to the pool "idle in transaction" (porsager/postgres#1189).
    const { sql, app } = ownerPool(1);
    await sql`select 1`;
    const fillers = Array.from({ length: 100 }, () => sql`select 1 as n`.execute());
    const tx = sql.begin(async (t) => {
      await t`insert into ${t(table)} values (${10})`;
      return t<{ n: number }[]>`select count(*)::int as n from ${t(table)} where n = 10`;
    });
    const outside = sql.unsafe(OWN_TRANSACTION).execute();
    expect(code(await within(Promise.all(fillers), 5_000))).toBe('fulfilled');
    const result = await within(tx, 5_000);
    expect(result).toEqual({ status: 'fulfilled', value: [{ n: 1 }] });
    // The query sent while the transaction was open ran outside it, in a transaction of its own.
    expect(await within(outside, 5_000)).toEqual({ status: 'fulfilled', value: [{ own: true }] });
    await ctx.ownerSql`delete from ${ctx.ownerSql(table)} where n = 10`;
    expect(await sessions(app)).not.toContain('idle in transaction');
  });

  it('ends the pool at once when every connection was dropped mid-query', async () => {
    // upstream: a dropped connection kept its last query, so end() waited its whole timeout (#1142).
    const { sql } = ownerPool(3);
    const pids = await Promise.all([1, 2, 3].map(() => sql.begin((t) => t<{ pid: number }[]>`select pg_backend_pid() as pid, pg_sleep(0.2)`)));
    expect(new Set(pids.map(([r]) => r?.pid)).size).toBe(3);
    const sleeping = [1, 2, 3].map(() => within(sql`select pg_sleep(${30})`.execute(), 10_000));
    await expect.poll(async () => (await ctx.ownerSql<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity where query like 'select pg_sleep(%' and pid = any(${pids.map(([r]) => r?.pid ?? 0)})`)[0]?.n).toBe(3);
    await ctx.ownerSql`select pg_terminate_backend(pid) from unnest(${pids.map(([r]) => r?.pid ?? 0)}::int[]) as pid`;
    // Usually CONNECTION_CLOSED; a socket that sees the reset before the close says ECONNRESET (seen on a busy machine).
    const settled = await Promise.all(sleeping);
    expect(settled.every(lost), JSON.stringify(settled.map(code))).toBe(true);
    const started = Date.now();
    await sql.end({ timeout: 10 });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('carries the backstop timeouts on every connection', async () => {
    const { sql } = ownerPool(1);
    const rows = await sql<{ name: string; setting: string }[]>`
      select name, setting from pg_settings where name in ('statement_timeout', 'idle_in_transaction_session_timeout', 'lock_timeout')`;
    expect(Object.fromEntries(rows.map((r) => [r.name, Number(r.setting)]))).toEqual({
      statement_timeout: DEFAULT_DB_TIMEOUTS.statementMs,
      idle_in_transaction_session_timeout: DEFAULT_DB_TIMEOUTS.idleInTransactionMs,
      lock_timeout: DEFAULT_DB_TIMEOUTS.lockMs,
    });
  });
});
