import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../../shared/db/scope.ts';
import { checkUniform, send } from './support/http.ts';
import { callerRole, isSecured, pathParamNames, type Operation } from './support/operations.ts';
import { arbitraryFor } from './support/schema-values.ts';
import { startStubWorker } from './support/stub-worker.ts';
import { createSecurityWorld, saveLogs, type SecurityWorld } from './support/world.ts';

// Property-based fuzzing of every operation in the served document: arbitrary path parameters
// (including both tenants' real ids), query strings and JSON bodies shaped by the operation's own
// schema, sent by tenant A. Properties: never a 5xx; every 4xx has the uniform error body; nothing of
// tenant B (its marker, or an id the request did not carry) ever comes back to tenant A.
// FREIGHT_FUZZ_RUNS (default 20) bounds the runs per operation.

const RUNS = Number(process.env.FREIGHT_FUZZ_RUNS ?? 20);
let w: SecurityWorld;
let stub: { stop(): Promise<void> };

beforeAll(async () => {
  w = await createSecurityWorld();
  stub = await startStubWorker(w.t, w.a.tenant.namespace);
});

afterAll(async () => {
  if (!w) return;
  await w.close();
  await stub?.stop();
  const logs = saveLogs(w.t, 'fuzz');
  for (const s of [...w.a.secrets, ...w.b.secrets]) expect(logs).not.toContain(s);
});

interface FuzzRequest {
  params: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string | undefined>;
  body: string | undefined;
}

function requestArbitrary(op: Operation, knownIds: string[]): fc.Arbitrary<FuzzRequest> {
  const idArb = (name: string): fc.Arbitrary<string> => fc.oneof(
    fc.constantFrom(...[w.a.ids[name], w.b.ids[name]].filter((v): v is string => v !== undefined), ...knownIds.slice(0, 2)),
    fc.uuid(),
    fc.string({ maxLength: 60 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
  );
  const params = fc.record(Object.fromEntries(pathParamNames(op).map((n) => [n, idArb(n)])));
  const names = op.params.filter((p) => p.in === 'query').map((p) => p.name);
  const query = fc.array(fc.tuple(
    names.length > 0 ? fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 10 })) : fc.string({ maxLength: 10 }),
    fc.oneof(
      fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.integer().map(String), fc.constantFrom(...knownIds),
      fc.constantFrom('true', 'false', 'failed', 'running', '\u0000', 'api_key:x', 'a:b:c'),
    ),
  ), { maxLength: 4 });
  const body: fc.Arbitrary<string | undefined> = op.method === 'GET'
    ? fc.constant(undefined)
    : fc.oneof(
      { weight: 5, arbitrary: (op.body ? arbitraryFor(op.body, knownIds) : fc.jsonValue({ maxDepth: 3 })).map((v) => JSON.stringify(v) ?? 'null') },
      { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    );
  // Declared header parameters (e.g. Idempotency-Key), printable ASCII as HTTP allows.
  const headerNames = op.params.filter((p) => p.in === 'header').map((p) => p.name);
  const headers = fc.record(Object.fromEntries(headerNames.map((n) => [n, fc.oneof(fc.string({ minLength: 1, maxLength: 250 }), fc.constantFrom('k1', 'k2'))])), { requiredKeys: [] });
  return fc.record({ params, query, headers, body });
}

function pathOf(op: Operation, params: Record<string, string>, query: [string, string][]): string {
  // An empty segment would route elsewhere (or 404 on the router): keep the fuzz on this operation.
  const path = op.path.replace(/\{([^}]+)\}/g, (_, n: string) => encodeURIComponent(params[n] || '_'));
  const qs = new URLSearchParams(query).toString();
  return qs ? `${path}?${qs}` : path;
}

describe('fuzzing every operation', () => {
  it('never 5xx, uniform 4xx, no other tenant data', async () => {
    const knownIds = [...Object.values(w.a.ids), ...Object.values(w.b.ids)].filter((id) => id.length > 20);
    const bIds = Object.values(w.b.ids).filter((id) => id.length > 20);
    const ops = w.ops.filter(isSecured);
    let requests = 0;
    for (const op of ops) {
      const role = callerRole(op);
      if (!role) continue;
      const token = w.token(w.a, role);
      await fc.assert(fc.asyncProperty(requestArbitrary(op, knownIds), async (req) => {
        const path = pathOf(op, req.params, req.query);
        const a = await send(w.t, op.method, path, { token, body: req.body, headers: Object.fromEntries(Object.entries(req.headers).filter((e): e is [string, string] => e[1] !== undefined)) });
        requests++;
        checkUniform(a);
        // Admins see every tenant by design; the leak properties are about tenant principals.
        if (role === 'admin') return;
        expect(a.text, a.label).not.toContain(w.marker);
        const sent = JSON.stringify(req);
        for (const id of bIds) if (!sent.includes(id)) expect(a.text, a.label).not.toContain(id);
      }), { numRuns: RUNS, seed: process.env.FREIGHT_FUZZ_SEED ? Number(process.env.FREIGHT_FUZZ_SEED) : undefined });
    }
    expect(requests).toBeGreaterThanOrEqual(ops.length * Math.min(RUNS, 10));
  });

  it("tenant A's fuzzing reached nothing of tenant B", async () => {
    const bConnections = [w.b.ids.connectionId, w.b.ids.targetConnectionId] as string[];
    const [crossed] = await withTenant(w.t.ctx.ownerSql, w.a.tenant.id, (tx) => tx<{ n: number }[]>`
      select count(*)::int as n from freight.jobs
      where source_connection_id = any(${tx.array(bConnections)}::uuid[]) or target_connection_id = any(${tx.array(bConnections)}::uuid[])`);
    expect(crossed?.n).toBe(0);
    const conn = await send(w.t, 'GET', `/v1/connections/${w.b.ids.connectionId}`, { token: w.b.engineer });
    expect(conn.status, conn.label).toBe(200);
    const job = await send(w.t, 'GET', `/v1/jobs/${w.b.ids.jobId}`, { token: w.b.engineer });
    expect((JSON.parse(job.text) as { status: string }).status, job.label).not.toBe('cancelled');
    const me = await send(w.t, 'GET', '/v1/me', { token: w.b.viewer });
    expect(me.status, me.label).toBe(200);
  });
});
