import type { ObjectReconciliation, PairReconciliation } from '../../../shared/reconcile/reconcile-model.ts';
import type { PairReconcileDeps } from '../pair.ts';
import { createAffinitySource } from './affinity/affinity-source.ts';
import { resolveMappingConfig } from './mapping/index.ts';
import { createPairClients, sourceKindOf } from './runtime.ts';
import { createPublicAttioReader } from './verification/attio-public-reader.ts';
import { verifyMigration, type KindReport } from './verification/verify-migration.ts';
import { defaultActor } from './verification/verify-sandboxes.ts';

/** Verification's record kinds ↔ the job's object kinds (what the record log and the API name). */
const JOB_OBJECT: Record<string, string> = {
  organization: 'organizations', person: 'persons', opportunity: 'opportunities', list_entry: 'lists', note: 'notes',
};
const VERIFY_KIND = Object.fromEntries(Object.entries(JOB_OBJECT).map(([kind, object]) => [object, kind]));

const toObject = (k: KindReport): ObjectReconciliation => ({
  expected: k.expected, present: k.present, missing: k.missing, skippedAsLogged: k.absentAsLogged, duplicates: k.duplicates,
  mismatches: k.mismatches, unexpected: k.unexpected, foreign: k.foreign,
});

/**
 * Affinity → Attio reconciliation: the verification (verify-migration.ts) of the job's object kinds,
 * the Affinity side re-read through the job's source connector and re-mapped with the job's mapping,
 * the Attio side read through Attio's public API (attio-public-reader.ts), both paced by the same
 * budgets as the job. Records are expected where Freight's id map says it wrote them. The Attio side
 * is held in memory (as verification always has): sized for the accounts the sandboxes model.
 */
export async function reconcileAffinityAttio(deps: PairReconcileDeps): Promise<PairReconciliation> {
  const clients = createPairClients(deps);
  const signal = deps.signal();
  const expectedAbsent = new Set([...deps.skipped].map((key) => {
    const at = key.indexOf(':');
    return `${VERIFY_KIND[key.slice(0, at)] ?? key.slice(0, at)}:${key.slice(at + 1)}`;
  }));
  const report = await verifyMigration({
    source: createAffinitySource({ client: clients.affinity }),
    target: createPublicAttioReader({ client: clients.attio, ...(signal ? { signal } : {}) }),
    written: deps.idMap,
    config: resolveMappingConfig(deps.job.options.mapping ?? {}),
    now: new Date(),
    defaultActorId: await defaultActor(clients.attio),
    expectedAbsent,
    kinds: deps.job.objects.map(sourceKindOf),
    onDifference: (d) => deps.onDifference({ ...d, object: JOB_OBJECT[d.object] ?? d.object }),
  });
  return {
    objects: Object.fromEntries(Object.entries(report.kinds).map(([kind, k]) => [JOB_OBJECT[kind] ?? kind, toObject(k)])),
    references: report.references,
    links: Object.fromEntries(Object.entries(report.links).map(([name, l]) => [name, { checked: l.checked, right: l.right, wrong: l.wrong, missing: l.missing }])),
    calls: { attio: clients.attio.stats().requests, affinity: clients.affinity.stats().requests },
  };
}
