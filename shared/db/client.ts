import postgres from 'postgres';
import type { Logger } from '../logger.ts';
import { createPoolGate, type PoolGate } from './pool-gate.ts';
import { DEFAULT_DB_TIMEOUTS, timeoutParameters, type DbTimeouts } from './timeouts.ts';

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;
export type { DbTimeouts } from './timeouts.ts';

export interface SqlOptions {
  url: string;
  max?: number;
  logger?: Logger;
  /** Identifies the process in pg_stat_activity. */
  applicationName?: string;
  /** Server-side backstops (config `db.timeouts`); DEFAULT_DB_TIMEOUTS for those not given. */
  timeouts?: Partial<DbTimeouts> | undefined;
}

/**
 * A postgres.js pool. TLS follows the URL (`?sslmode=require|verify-full`). Every connection
 * carries the timeouts as startup parameters, so no session of Freight's can stay idle in a
 * transaction or wait forever, whatever happens to the client holding it.
 */
export function createSql(options: SqlOptions): Sql {
  const given = options.timeouts ?? {};
  const timeouts: Required<DbTimeouts> = {
    statementMs: given.statementMs ?? DEFAULT_DB_TIMEOUTS.statementMs,
    idleInTransactionMs: given.idleInTransactionMs ?? DEFAULT_DB_TIMEOUTS.idleInTransactionMs,
    lockMs: given.lockMs ?? DEFAULT_DB_TIMEOUTS.lockMs,
    poolWaitMs: given.poolWaitMs ?? DEFAULT_DB_TIMEOUTS.poolWaitMs,
  };
  const max = options.max ?? 10;
  const sql = postgres(options.url, {
    max,
    idle_timeout: 30,
    connect_timeout: 10,
    prepare: true,
    connection: { application_name: options.applicationName ?? 'freight', ...timeoutParameters(timeouts) },
    onnotice: (notice) => options.logger?.debug({ notice: notice.message }, 'postgres notice'),
  });
  pools.set(sql, { gate: createPoolGate(max, timeouts.poolWaitMs), logger: options.logger });
  return sql;
}

/** What scope.ts needs of a pool made here beside the driver: its gate, and where to report a stuck transaction. */
interface PoolExtras {
  gate: PoolGate;
  logger: Logger | undefined;
}

const pools = new WeakMap<Sql, PoolExtras>();

/** The gate transactions of this pool pass (shared/db/scope.ts); none for pools made elsewhere. */
export function poolGateOf(sql: Sql): PoolGate | undefined {
  return pools.get(sql)?.gate;
}

/** The logger the pool was made with, if any. */
export function poolLoggerOf(sql: Sql): Logger | undefined {
  return pools.get(sql)?.logger;
}
