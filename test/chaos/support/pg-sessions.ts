import postgres from 'postgres';
import { inject } from 'vitest';
import { stackDataDir } from '../../../infra/dev-stack/paths.ts';
import { DB_NAME, superUrl } from '../../../infra/dev-stack/postgres.ts';
import { readState } from '../../../infra/dev-stack/state.ts';

/**
 * Ends every session the worker process holds (pg_terminate_backend as the superuser), the way a
 * failover, an administrator or idle_in_transaction_session_timeout does, with the server itself
 * staying up: transactions are cut wherever they are, mid-statement or between two. Returns how
 * many sessions it ended.
 */
export async function terminateWorkerSessions(): Promise<number> {
  const state = await readState(stackDataDir(inject('stackName')));
  if (!state.postgres) throw new Error('the chaos stack does not run PostgreSQL itself: cannot reach it as the superuser');
  const sql = postgres(superUrl(state.postgres, DB_NAME), { max: 1, onnotice: () => undefined });
  try {
    const ended = await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'freight-worker'`;
    return ended.length;
  } finally {
    await sql.end({ timeout: 1 });
  }
}
