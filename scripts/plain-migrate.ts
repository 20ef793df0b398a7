/**
 * Plain migration, no Temporal: Affinity sandbox → connectors → mapping → Attio sandbox, in
 * dependency order (read page → map → write → record), then verification of the Attio side against
 * the Affinity side, then the same migration a second time to show nothing is duplicated.
 *
 *   npx tsx scripts/plain-migrate.ts [--size 6000] [--seed demo] [--runs 2] [--concurrency 32]
 *        [--real-limits] [--poison-rate 0.002] [--id-map .freight/plain-migrate/id-map.json] [--log file.jsonl]
 *   AFFINITY_URL/AFFINITY_KEY and ATTIO_URL/ATTIO_TOKEN: use running sandboxes instead of starting them.
 *   DATABASE_URL + FREIGHT_TENANT_ID: keep the id map in Postgres (freight.id_map).
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { startAffinitySandbox } from '../infra/sandbox/affinity/index.ts';
import { startAttioSandbox } from '../infra/sandbox/attio/index.ts';
import { createAffinityClient } from '../activities/pairs/affinity-attio/affinity/affinity-client.ts';
import { createAffinitySource } from '../activities/pairs/affinity-attio/affinity/affinity-source.ts';
import { createAttioClient } from '../activities/pairs/affinity-attio/attio/attio-client.ts';
import { createAttioTarget } from '../activities/pairs/affinity-attio/attio/attio-target.ts';
import { createBudgetRegistry } from '../activities/connectors/budget/budget-registry.ts';
import { parseNoteMarker, resolveMappingConfig } from '../activities/pairs/affinity-attio/mapping/index.ts';
import { createPublicAttioReader } from '../activities/pairs/affinity-attio/verification/attio-public-reader.ts';
import { verifyMigration } from '../activities/pairs/affinity-attio/verification/verify-migration.ts';
import { openScriptIdMap } from './plain-migrate/id-map-store.ts';
import { printRun, printVerification } from './plain-migrate/print.ts';
import type { RecordLogLine } from './plain-migrate/record-log.ts';
import { runMigration } from './plain-migrate/run-migration.ts';

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '6000' },
    seed: { type: 'string', default: 'freight-plain-migrate' },
    runs: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '32' },
    'page-size': { type: 'string', default: '500' },
    'real-limits': { type: 'boolean', default: false },
    'poison-rate': { type: 'string', default: '0' },
    'id-map': { type: 'string', default: '.freight/plain-migrate/id-map.json' },
    'keep-id-map': { type: 'boolean', default: false },
    log: { type: 'string' },
  },
});
const print = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

const realLimits = args['real-limits'];
const affinitySandbox = process.env.AFFINITY_URL ? null : await startAffinitySandbox({
  seed: args.seed, size: Number(args.size), poisonRate: Number(args['poison-rate']),
  limits: realLimits ? {} : { perMinute: 0, monthly: 0 },
});
const attioSandbox = process.env.ATTIO_URL ? null : await startAttioSandbox({ limits: realLimits ? {} : { readsPerSecond: 0, writesPerSecond: 0 } });
const affinity = { url: process.env.AFFINITY_URL ?? affinitySandbox?.url ?? '', key: process.env.AFFINITY_KEY ?? affinitySandbox?.apiKey ?? '' };
const attio = { url: process.env.ATTIO_URL ?? attioSandbox?.url ?? '', token: process.env.ATTIO_TOKEN ?? attioSandbox?.token ?? '' };
const idMap = await openScriptIdMap({ file: args['id-map'], scope: `plain-migrate:${attio.url}`, fresh: !args['keep-id-map'] && !process.env.ATTIO_URL });
const logStream = args.log ? createWriteStream(args.log) : null;

try {
  const budgets = createBudgetRegistry();
  const config = resolveMappingConfig();
  const source = createAffinitySource({ client: createAffinityClient({ baseUrl: affinity.url, apiKey: affinity.key, budgets }) });
  // Attio sends no rate-limit headers: with the sandbox's limits off, the budget must be told.
  const attioClient = createAttioClient({ baseUrl: attio.url, token: attio.token, budgets, ...(realLimits ? {} : { writesPerSec: Infinity, readsPerSec: Infinity }) });
  const target = createAttioTarget({ client: attioClient, idMap: idMap.store, parseNoteMarker, sourceIdAttribute: config.sourceIdAttribute, entryIdAttribute: config.list.entryIdAttribute });
  const counts = affinitySandbox?.account.counts;
  print(`Freight plain migration — Affinity ${affinity.url} → Attio ${attio.url}`);
  if (counts) print(`account: seed "${args.seed}", ${counts.total} records (${counts.organizations} organizations, ${counts.persons} persons, ${counts.opportunities} opportunities, ${counts.listEntries + counts.opportunityListEntries} list entries, ${counts.notes} notes, ${counts.lists} lists)`);
  print(`rate limits: ${realLimits ? 'real (Affinity 900/min, Attio 25 writes/s, 100 reads/s)' : 'off'}; id map: ${idMap.describe}`);

  const failedOrSkipped = new Set<string>();
  const runs = Number(args.runs);
  const now = new Date();
  for (let run = 1; run <= runs; run += 1) {
    const result = await runMigration({
      run, source, target, config, now,
      pageSize: Number(args['page-size']), concurrency: Number(args.concurrency),
      onRecord: (line: RecordLogLine) => {
        if (line.status === 'failed' || line.status === 'skipped') failedOrSkipped.add(`${line.kind}:${line.sourceId}`);
        logStream?.write(`${JSON.stringify(line)}\n`);
      },
    });
    await idMap.save();
    printRun(print, run, result, attioSandbox?.stats.snapshot(), affinitySandbox?.stats.snapshot());

    const verifyStarted = performance.now();
    // Through Attio's public API (records/entries queries, notes listing), against the id map the run wrote.
    const report = await verifyMigration({
      source, target: createPublicAttioReader({ client: attioClient }), written: idMap.store,
      config, now, defaultActorId: result.defaultActorId, expectedAbsent: failedOrSkipped,
    });
    printVerification(print, run, report, (performance.now() - verifyStarted) / 1000);
    if (!report.ok) process.exitCode = 1;
  }
} finally {
  logStream?.end();
  await idMap.close();
  await affinitySandbox?.close();
  await attioSandbox?.close();
}
