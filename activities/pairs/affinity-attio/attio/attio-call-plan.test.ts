import { describe, expect, it } from 'vitest';
import { FIXED_MS, NOTE_PARENT_SHARE, PER_KIND_MS, planAttioTarget, SCHEMA_CALLS } from './attio-call-plan.ts';

const counts = {
  organizations: 100, persons: 200, notes: 50, organizationsWithoutDomain: 10, personsWithoutEmail: 20,
  lists: [{ id: 1, type: 0, size: 30 }, { id: 2, type: 8, size: 40 }],
};
const limits = { writesPerSec: 25, readsPerSec: 100, affinityRequestsPerMin: 900, ceiling: 1 };

describe('planAttioTarget', () => {
  it('costs one assert per record with a unique value, a query and a create without one, a query and a create per entry, a create per note', () => {
    const { eta } = planAttioTarget(counts, ['organizations', 'persons', 'opportunities', 'lists', 'notes'], {}, limits);
    const calls = Object.fromEntries(eta.targetLines.map((l) => [l.endpoint, l.calls]));
    expect(calls).toMatchObject({
      'POST /v2/objects/companies/records/query': 10, 'POST /v2/objects/companies/records': 10,
      'POST /v2/objects/people/records/query': 20, 'POST /v2/objects/people/records': 20,
      'PUT /v2/objects/deals/records': 40,
      'POST /v2/lists/:list/entries/query': 70, 'POST /v2/lists/:list/entries': 70,
      'POST /v2/notes': 50, 'GET /v2/notes': Math.ceil(50 * NOTE_PARENT_SHARE),
    });
    // The references pass writes some again on top of one assert each.
    expect(calls['PUT /v2/objects/companies/records']).toBeGreaterThan(90);
    expect(calls['PUT /v2/objects/people/records']).toBeGreaterThan(180);
    expect(eta.targetTotal).toBe(eta.targetLines.reduce((n, l) => n + l.calls, 0));
    expect(eta.targetLines.at(-1)?.calls).toBe(SCHEMA_CALLS);
  });

  it('gives each kind the time of its slowest limit, plus the fixed and per-kind overhead', () => {
    const { eta } = planAttioTarget(counts, ['lists'], { lists: 3 }, limits);
    // 70 entry creates at 25 writes/s; 70 queries at 100 reads/s; 3 Affinity calls at 15/s.
    expect(eta.phases).toEqual([{ phase: 'lists', objects: ['lists'], sourceCalls: 3, targetCalls: 140, boundBy: 'writes', ms: 2_800 + PER_KIND_MS }]);
    expect(eta.totalMs).toBe(FIXED_MS + 2_800 + PER_KIND_MS);
    const slowSource = planAttioTarget(counts, ['lists'], { lists: 300 }, limits);
    expect(slowSource.eta.phases[0]).toMatchObject({ boundBy: 'source', ms: 20_000 + PER_KIND_MS });
  });
});
