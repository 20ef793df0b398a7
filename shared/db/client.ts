import postgres from 'postgres';
import type { Logger } from '../logger.ts';
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
  const timeouts: DbTimeouts = {
    statementMs: given.statementMs ?? DEFAULT_DB_TIMEOUTS.statementMs,
    idleInTransactionMs: given.idleInTransactionMs ?? DEFAULT_DB_TIMEOUTS.idleInTransactionMs,
    lockMs: given.lockMs ?? DEFAULT_DB_TIMEOUTS.lockMs,
  };
  return postgres(options.url, {
    max: options.max ?? 10,
    idle_timeout: 30,
    connect_timeout: 10,
    prepare: true,
    connection: { application_name: options.applicationName ?? 'freight', ...timeoutParameters(timeouts) },
    onnotice: (notice) => options.logger?.debug({ notice: notice.message }, 'postgres notice'),
  });
}
