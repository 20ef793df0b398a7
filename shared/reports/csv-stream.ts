import { stringify, type Stringifier } from 'csv-stringify';
import type { PendingQuery, Row } from 'postgres';
import type { Sql, TransactionSql } from '../db/client.ts';
import { withTenant } from '../db/scope.ts';
import type { Logger } from '../logger.ts';
import { csvOptions } from './csv-cells.ts';

class StreamClosed extends Error {
  constructor() {
    super('csv stream closed by the client');
    this.name = 'StreamClosed';
  }
}

/** Resolves on the first of `events` and removes every listener it added (no build-up across waits). */
function firstOf(emitter: Stringifier, events: readonly string[]): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      for (const e of events) emitter.off(e, done);
      resolve();
    };
    for (const e of events) emitter.on(e, done);
  });
}

/** Writes one row, waiting while the stringifier's buffer is full (the reader sets the pace). */
async function writeRow(out: Stringifier, row: unknown): Promise<void> {
  if (out.destroyed) throw new StreamClosed();
  if (out.write(row)) return;
  await firstOf(out, ['drain', 'close']);
  if (out.destroyed) throw new StreamClosed();
}

/**
 * The stringifier as a pull-based web stream: each pull hands over what is buffered (up to the
 * readable high-water mark, so chunks of kilobytes rather than one row), and nothing more is
 * produced until the client asks again.
 */
function toWebStream(out: Stringifier): ReadableStream<Uint8Array> {
  let ended = false;
  let failure: Error | undefined;
  out.once('end', () => { ended = true; });
  out.once('error', (err: Error) => { failure = err; });
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const chunk = out.read() as Buffer | string | null;
        if (chunk !== null) {
          controller.enqueue(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
          return;
        }
        if (failure) return controller.error(failure);
        if (ended || out.destroyed) return controller.close();
        await firstOf(out, ['readable', 'end', 'error', 'close']);
      }
    },
    cancel() {
      // Client went away: the producer sees the stream destroyed and rolls its transaction back.
      out.destroy();
    },
  }, { highWaterMark: 0 });
}

export interface TenantCsvOptions<R extends Row> {
  sql: Sql;
  tenantId: string;
  columns: readonly string[];
  /** The query to stream; it runs inside the tenant's transaction and is read with a cursor. */
  query: (tx: TransactionSql) => PendingQuery<R[]>;
  toRow?: (row: R) => unknown;
  /** Rows per cursor fetch (default 500). */
  batchSize?: number;
  logger: Logger;
}

/**
 * Streams a tenant-scoped query as CSV in constant memory: a postgres.js cursor inside `withTenant`
 * feeds `csv-stringify`, whose output the HTTP response pulls. The transaction (and its pooled
 * connection) stays open until the last row is written, and is rolled back when the client aborts.
 * Memory is bounded by one cursor batch plus the stringifier's buffer, whatever the row count.
 */
export function streamTenantCsv<R extends Row>(options: TenantCsvOptions<R>): ReadableStream<Uint8Array> {
  const out = stringify(csvOptions(options.columns));
  const toRow = options.toRow ?? ((r: R) => r);
  void withTenant(options.sql, options.tenantId, async (tx) => {
    // statement_timeout spans a cursor's whole life, slow reader included: a large export may take longer.
    await tx`select set_config('statement_timeout', '0', true)`;
    for await (const rows of options.query(tx).cursor(options.batchSize ?? 500)) {
      for (const row of rows) await writeRow(out, toRow(row));
    }
  }).then(
    () => out.end(),
    (err: unknown) => {
      if (err instanceof StreamClosed) return;
      options.logger.error({ err }, 'csv export failed midway');
      out.destroy(err instanceof Error ? err : new Error(String(err)));
    },
  );
  return toWebStream(out);
}

/** Streams rows already in memory (or generated lazily) as CSV with the same cell rules. */
export function streamRowsCsv(columns: readonly string[], rows: Iterable<unknown>): ReadableStream<Uint8Array> {
  const out = stringify(csvOptions(columns));
  void (async () => {
    try {
      for (const row of rows) await writeRow(out, row);
      out.end();
    } catch {
      // Closed by the client: nothing to release.
    }
  })();
  return toWebStream(out);
}
