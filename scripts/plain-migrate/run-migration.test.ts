import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAffinitySandbox, type AffinitySandbox } from '../../infra/sandbox/affinity/index.ts';
import { startAttioSandbox, type AttioSandbox } from '../../infra/sandbox/attio/index.ts';
import { createAffinityClient } from '../../activities/pairs/affinity-attio/affinity/affinity-client.ts';
import { createAffinitySource } from '../../activities/pairs/affinity-attio/affinity/affinity-source.ts';
import { createAttioClient } from '../../activities/pairs/affinity-attio/attio/attio-client.ts';
import { createAttioTarget } from '../../activities/pairs/affinity-attio/attio/attio-target.ts';
import { createBudgetRegistry } from '../../activities/connectors/budget/budget-registry.ts';
import { createMemoryIdMap } from '../../activities/connectors/id-map/memory-id-map.ts';
import { parseNoteMarker, resolveMappingConfig } from '../../activities/pairs/affinity-attio/mapping/index.ts';
import { readAttioSnapshot } from '../../activities/pairs/affinity-attio/verification/attio-snapshot.ts';
import { verifyMigration } from '../../activities/pairs/affinity-attio/verification/verify-migration.ts';
import { runMigration, type MigrationResult } from './run-migration.ts';

/** End to end over both sandboxes: migrate, verify, re-run, and catch tampering. */
let affinity: AffinitySandbox;
let attio: AttioSandbox;
const config = resolveMappingConfig();
const idMap = createMemoryIdMap();
const absent = new Set<string>();

const connectors = () => {
  const budgets = createBudgetRegistry();
  const source = createAffinitySource({ client: createAffinityClient({ baseUrl: affinity.url, apiKey: affinity.apiKey, budgets }) });
  const target = createAttioTarget({
    client: createAttioClient({ baseUrl: attio.url, token: attio.token, budgets, writesPerSec: Infinity, readsPerSec: Infinity, max429Retries: 10 }),
    idMap, parseNoteMarker,
  });
  return { source, target };
};

const migrate = (run: number, afterSchema?: () => void): Promise<MigrationResult> => {
  const { source, target } = connectors();
  return runMigration({
    run, source, target, config, now: new Date(), pageSize: 100, concurrency: 16, ...(afterSchema ? { afterSchema } : {}),
    onRecord: (line) => {
      if (line.status === 'failed' || line.status === 'skipped') absent.add(`${line.kind}:${line.sourceId}`);
    },
  });
};

const verify = async (result: MigrationResult) => {
  const snapshot = await readAttioSnapshot({ sandboxUrl: attio.url, objects: ['companies', 'people', 'deals'], lists: Object.keys(result.lists) });
  return verifyMigration({ source: connectors().source, target: snapshot, config, now: new Date(), defaultActorId: result.defaultActorId, expectedAbsent: absent });
};

beforeAll(async () => {
  affinity = await startAffinitySandbox({ seed: 'e2e', size: 500, poisonRate: 0.01, limits: { perMinute: 0, monthly: 0 } });
  attio = await startAttioSandbox({ limits: { readsPerSecond: 0, writesPerSecond: 0 } });
});
afterAll(async () => {
  await affinity?.close();
  await attio?.close();
});

describe('plain migration over the sandboxes', () => {
  let first: MigrationResult;

  it('migrates everything but the poison records, despite lost answers and 5xx, with no duplicates', async () => {
    // Writes applied but their answers lost, 5xx and 429s: every write path must stay idempotent.
    try {
      first = await migrate(1, () => attio.faults.update({ resetAfterRate: 0.03, rate5xx: 0.02, rate429: 0.02, seed: 11 }));
    } finally {
      attio.faults.replace({});
    }
    const failed = Object.values(first.kinds).reduce((n, k) => n + k.failed, 0);
    const poison = affinity.account.poisonIds('person').length + affinity.account.poisonIds('organization').length
      + affinity.account.poisonIds('opportunity').length + affinity.account.poisonIds('note').length;
    expect(failed).toBeGreaterThanOrEqual(poison - 1);
    expect(Object.values(first.kinds).flatMap((k) => Object.keys(k.byErrorKind))).toContain('validation');
    const report = await verify(first);
    expect(report.ok, JSON.stringify(report.kinds, null, 1)).toBe(true);
    expect(report.references.dangling).toBe(0);
  }, 120_000);

  it('re-runs without creating anything', async () => {
    const before = (await (await fetch(`${attio.url}/__sandbox/summary`)).json()) as unknown;
    const second = await migrate(2);
    expect(Object.values(second.kinds).reduce((n, k) => n + k.created, 0)).toBe(0);
    const after = (await (await fetch(`${attio.url}/__sandbox/summary`)).json()) as unknown;
    expect(after).toEqual(before);
    expect((await verify(second)).ok).toBe(true);
  }, 120_000);

  it('flags a duplicate and a missing record', async () => {
    const people = (await (await fetch(`${attio.url}/__sandbox/records/people?limit=2`)).json()) as { data: Array<{ id: { record_id: string }; values: Record<string, Array<{ value?: string }>> }> };
    const [a, b] = people.data;
    const res = await fetch(`${attio.url}/v2/objects/people/records`, {
      method: 'POST', headers: { authorization: `Bearer ${attio.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ data: { values: { affinity_id: a?.values.affinity_id?.[0]?.value } } }),
    });
    expect(res.status).toBe(200);
    await fetch(`${attio.url}/v2/objects/people/records/${b?.id.record_id}`, { method: 'DELETE', headers: { authorization: `Bearer ${attio.token}` } });
    const report = await verify(first);
    expect(report.ok).toBe(false);
    expect(report.kinds.person).toMatchObject({ duplicates: 1, missing: 1 });
  }, 60_000);
});
