import postgres from 'postgres';
import type { Logger } from '../logger.ts';

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;

export interface SqlOptions {
  url: string;
  max?: number;
  logger?: Logger;
  /** Identifies the process in pg_stat_activity. */
  applicationName?: string;
}

/** A postgres.js pool. TLS follows the URL (`?sslmode=require|verify-full`). */
export function createSql(options: SqlOptions): Sql {
  return postgres(options.url, {
    max: options.max ?? 10,
    idle_timeout: 30,
    connect_timeout: 10,
    prepare: true,
    connection: { application_name: options.applicationName ?? 'freight' },
    onnotice: (notice) => options.logger?.debug({ notice: notice.message }, 'postgres notice'),
  });
}
