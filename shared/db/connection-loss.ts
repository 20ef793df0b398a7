import type { Logger } from '../logger.ts';

/** postgres.js / socket codes meaning "the database connection went away", not "the query was wrong". */
const CONNECTION_LOSS_CODES = new Set([
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT',
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT',
  // PostgreSQL's own "admin shutdown", "crash shutdown" and "cannot connect now" while it stops or
  // starts; connection exceptions (class 08); a session ended for idling in a transaction; a server
  // out of connection slots (it answers again once others leave).
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '25P03', '53300',
]);

/** True for errors a PostgreSQL restart or failover produces. */
export function isConnectionLoss(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null && 'code' in err ? (err as { code: unknown }).code : undefined;
  return typeof code === 'string' && CONNECTION_LOSS_CODES.has(code);
}

/**
 * SQLSTATE classes that no retry can fix: data exceptions (22), integrity constraint violations
 * (23), syntax errors and access rule violations — missing privilege, table or column (42),
 * unsupported features (0A). A bug or a broken deployment, to be surfaced, not retried forever.
 */
const PERMANENT_SQLSTATE_CLASSES = new Set(['22', '23', '42', '0A']);

/** True for a PostgreSQL error that will fail the same way however often it is retried. */
export function isPermanentDatabaseError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null || (err as { name?: unknown }).name !== 'PostgresError') return false;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && PERMANENT_SQLSTATE_CLASSES.has(code.slice(0, 2));
}

/**
 * A PostgreSQL restart rejects, besides the queries someone awaits, promises postgres.js keeps for
 * itself (its LISTEN connection re-subscribing, pipelined queries of a dropped connection). Node
 * would end the process on such an unhandled rejection, killing every in-flight activity over a
 * blip the pool recovers from by itself (it reconnects on the next query). This keeps the process
 * alive for exactly those errors, logged; any other unhandled rejection still ends it, as before.
 */
export function survivePostgresRestarts(logger: Logger, proc: NodeJS.Process = process): void {
  proc.on('unhandledRejection', (reason) => {
    if (isConnectionLoss(reason)) {
      logger.warn({ err: reason }, 'database connection lost (unhandled by its caller); the pool reconnects');
      return;
    }
    logger.fatal({ err: reason }, 'unhandled promise rejection');
    // Node's default for the rest: exit non-zero (a supervisor restarts the worker).
    setImmediate(() => proc.exit(1));
  });
}
