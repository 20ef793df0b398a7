/**
 * One writer process of the multi-process budget test and bench: its own budget registry on the
 * PostgreSQL store (its own pool: another process as far as the budgets can tell), its own Attio
 * token, `WRITES` company asserts from `CONCURRENCY` writers. Prints one JSON line with the result.
 *
 *   DATABASE_URL=… ATTIO_URL=… ATTIO_TOKEN=… WRITES=300 CONCURRENCY=16 [START_AT=<epoch ms>] npx tsx scripts/write-budget-process.ts
 */
import { runWriteBench } from '../activities/pairs/affinity-attio/attio/write-budget-bench.ts';
import { createBudgetRegistry } from '../activities/connectors/budget/budget-registry.ts';
import { createPgRateStore } from '../activities/connectors/budget/pg-rate-store.ts';
import { createSql } from '../shared/db/client.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const sql = createSql({ url: env('DATABASE_URL'), max: 2, applicationName: 'freight-write-budget' });
let storeErrors = 0;
const budgets = createBudgetRegistry({ store: createPgRateStore({ sql }), onStoreError: () => (storeErrors += 1) });
try {
  // Start together with the other writer processes, so their loads overlap.
  const startAt = Number(process.env.START_AT ?? 0);
  if (startAt > Date.now()) await new Promise((resolve) => setTimeout(resolve, startAt - Date.now()));
  const result = await runWriteBench({
    baseUrl: env('ATTIO_URL'), token: env('ATTIO_TOKEN'), budgets,
    writes: Number(process.env.WRITES ?? 300), concurrency: Number(process.env.CONCURRENCY ?? 16),
    writesPerSec: Number(process.env.LIMIT ?? 25), runId: `${process.pid}-${Date.now().toString(36)}`,
  });
  process.stdout.write(`${JSON.stringify({ ...result, storeErrors, pid: process.pid })}\n`);
} finally {
  await sql.end({ timeout: 5 });
}
