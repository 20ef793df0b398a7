/**
 * Measures the Attio write budget against the sandbox at Attio's real limit (25 writes/s per
 * workspace): N writes from several concurrent writers and "jobs" sharing one token must take ≥ N/25 s,
 * use ≥ 95% of the rate, and see < 1% of calls answered 429. (Several processes and tokens:
 * test/integration/budget/workspace-budget.test.ts and `npm run bench -- --only workspace`.)
 *
 *   npx tsx scripts/bench-write-budget.ts [--writes 2000] [--concurrency 32] [--jobs 4]
 *   ATTIO_URL=… ATTIO_TOKEN=… npx tsx scripts/bench-write-budget.ts   # against a running sandbox
 */
import { parseArgs } from 'node:util';
import { startAttioSandbox } from '../infra/sandbox/attio/index.ts';
import { runWriteBench } from '../activities/pairs/affinity-attio/attio/write-budget-bench.ts';

const { values } = parseArgs({
  options: {
    writes: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '32' },
    jobs: { type: 'string', default: '4' },
    limit: { type: 'string', default: '25' },
  },
});
const writes = Number(values.writes);
const limit = Number(values.limit);
const external = process.env.ATTIO_URL;
const sandbox = external ? null : await startAttioSandbox({ limits: { writesPerSecond: limit, readsPerSecond: 100 } });
const baseUrl = external ?? (sandbox?.url as string);
const token = process.env.ATTIO_TOKEN ?? sandbox?.token ?? '';

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
print(`write budget bench: ${writes} writes, ${values.concurrency} writers, ${values.jobs} jobs sharing one workspace budget, limit ${limit}/s at ${baseUrl}`);
try {
  const r = await runWriteBench({ baseUrl, token, writes, concurrency: Number(values.concurrency), jobs: Number(values.jobs), writesPerSec: limit });
  const server = sandbox?.stats.snapshot();
  print(`elapsed            ${r.seconds.toFixed(1)} s (floor ${(writes / limit).toFixed(1)} s)`);
  print(`rate               ${r.writesPerSec.toFixed(2)} writes/s = ${(r.utilisation * 100).toFixed(1)}% of ${limit}/s`);
  print(`requests           ${r.requests} (429: ${r.rateLimited} = ${(r.rateLimitedRatio * 100).toFixed(2)}%)`);
  if (server) print(`sandbox            writes ${server.writes}, 429 ${server.rateLimited}, peak ${server.writesPerSecond.peak}/s, average ${server.writesPerSecond.average.toFixed(2)}/s`);
  const ok = r.seconds >= (writes / limit) * 0.98 && r.utilisation >= 0.95 && r.rateLimitedRatio < 0.01;
  print(ok ? 'PASS: ≥ 95% of the allowed rate, < 1% answered 429' : 'FAIL: outside the bar (≥ 95% of the rate, < 1% 429)');
  process.exitCode = ok ? 0 : 1;
} finally {
  await sandbox?.close();
}
