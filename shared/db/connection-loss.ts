import type { Logger } from '../logger.ts';

/** postgres.js / socket codes meaning "the database connection went away", not "the query was wrong". */
const CONNECTION_LOSS_CODES = new Set([
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT',
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT',
  // PostgreSQL's own "admin shutdown" / "cannot connect now" while it stops or starts.
  '57P01', '57P03',
]);

/** True for errors a PostgreSQL restart or failover produces. */
export function isConnectionLoss(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null && 'code' in err ? (err as { code: unknown }).code : undefined;
  return typeof code === 'string' && CONNECTION_LOSS_CODES.has(code);
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
