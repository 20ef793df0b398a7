/**
 * Server-side limits every Freight connection carries (milliseconds; 0 leaves the server's own
 * setting, e.g. behind a pooler that refuses these startup parameters). They are backstops, not
 * flow control: whatever goes wrong in a client (a hung driver, a lost process, a stuck lock
 * holder), PostgreSQL itself ends the session or statement, releasing its locks and its slot.
 */
export interface DbTimeouts {
  /** statement_timeout: longest a statement may run. */
  statementMs: number;
  /**
   * idle_in_transaction_session_timeout: longest a transaction may sit between statements; the
   * server then closes the session (and the driver fails what the transaction still sends).
   */
  idleInTransactionMs: number;
  /** lock_timeout: longest a statement may wait for a lock (row, table or advisory). */
  lockMs: number;
  /**
   * Client-side: longest a transaction waits for a free pooled connection (shared/db/pool-gate.ts)
   * before it fails as transient. Optional: only pools that bound the wait set it.
   */
  poolWaitMs?: number;
}

/**
 * Freight's transactions are short and never wait on anything but the database, so a minute idle
 * in a transaction or waiting for a lock means something is stuck. The statement limit leaves room
 * for the longest legitimate statements (report reads and CSV exports over a million-record job,
 * which run for seconds to a few minutes); migrations lift all three for their own transaction.
 */
export const DEFAULT_DB_TIMEOUTS: Required<DbTimeouts> = { statementMs: 15 * 60_000, idleInTransactionMs: 60_000, lockMs: 60_000, poolWaitMs: 30_000 };

/** The timeouts as PostgreSQL startup parameters (only those set). */
export function timeoutParameters(timeouts: DbTimeouts): Record<string, string> {
  const out: Record<string, string> = {};
  if (timeouts.statementMs > 0) out.statement_timeout = String(timeouts.statementMs);
  if (timeouts.idleInTransactionMs > 0) out.idle_in_transaction_session_timeout = String(timeouts.idleInTransactionMs);
  if (timeouts.lockMs > 0) out.lock_timeout = String(timeouts.lockMs);
  return out;
}
