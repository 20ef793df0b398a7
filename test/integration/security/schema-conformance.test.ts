import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkUniform, send } from './support/http.ts';
import { callerRole, type Operation } from './support/operations.ts';
import { validFor, type KnownIds } from './support/schema-values.ts';
import { startStubWorker } from './support/stub-worker.ts';
import { createSecurityWorld, saveLogs, type SecurityWorld } from './support/world.ts';

// Schemathesis-style checks of the served document against the server (its `positive_data_acceptance`
// and `unsupported_method`): a request the document says is valid is never refused as invalid
// (400/422), and a method a documented path does not take answers 405 with `Allow`, never 404.
// FREIGHT_FUZZ_RUNS (default 20) bounds the requests per operation.

const RUNS = Number(process.env.FREIGHT_FUZZ_RUNS ?? 20);
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
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
  saveLogs(w.t, 'schema-conformance');
});

/** Tenant A's real objects under the names paths and bodies use for them. */
function knownIds(): KnownIds {
  return { ...w.a.ids, sourceConnectionId: w.a.ids.connectionId as string, targetConnectionId: w.a.ids.targetConnectionId as string };
}

const STATE_DEPENDENT: Record<string, string> = {
  'POST /v1/jobs': 'not_in_pair',
  'POST /v1/plans': 'not_in_pair',
  'PATCH /v1/connections/{connectionId}': 'credentials_mismatch',
};

interface Generated { path: string; query: string; headers: Record<string, string>; body: unknown }

function requestFor(op: Operation): fc.Arbitrary<Generated> {
  const ids = knownIds();
  const params = (where: 'path' | 'query' | 'header') => op.params.filter((p) => p.in === where);
  const record = (list: Operation['params'], required: (p: Operation['params'][number]) => boolean) =>
    fc.record(Object.fromEntries(list.map((p) => [p.name, validFor(p.schema, ids, p.name)])), { requiredKeys: list.filter(required).map((p) => p.name) });
  return fc.record({
    path: record(params('path'), () => true).map((values) => op.path.replace(/\{([^}]+)\}/g, (_, n: string) => encodeURIComponent(String(values[n])))),
    query: record(params('query'), (p) => (p as { required?: boolean }).required === true)
      .map((values) => new URLSearchParams(Object.entries(values).map(([k, v]): [string, string] => [k, String(v)])).toString()),
    headers: record(params('header'), () => false).map((values) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]))),
    body: op.body ? validFor(op.body, ids) : fc.constant(undefined),
  });
}

describe('the OpenAPI document and the server agree', () => {
  it('accepts every request the document declares valid (no 400/422 for schema-valid data)', async () => {
    let sent = 0;
    for (const op of w.ops) {
      const role = callerRole(op);
      const token = role ? w.token(w.a, role) : undefined;
      // Creating tenants registers Temporal namespaces: a few runs say enough.
      const runs = op.method === 'POST' && op.path === '/v1/tenants' ? Math.min(RUNS, 3) : RUNS;
      await fc.assert(fc.asyncProperty(requestFor(op), async (req) => {
        const url = req.query ? `${req.path}?${req.query}` : req.path;
        const a = await send(w.t, op.method, url, { token, headers: req.headers, ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}) });
        sent++;
        checkUniform(a);
        // The refusals that depend on stored state the document cannot see: the object kinds or phases
        // of another pair than the named connections make, credentials of another type than the
        // connection's (the document lists every pair's and every type's).
        const code = a.status === 422 ? (JSON.parse(a.text) as { error?: { code?: string } }).error?.code : undefined;
        const stateDependent = STATE_DEPENDENT[`${op.method} ${op.path}`] === code && code !== undefined;
        if (!stateDependent) expect([400, 422], `schema-valid request refused: ${a.label}`).not.toContain(a.status);
      }), { numRuns: runs, seed: process.env.FREIGHT_FUZZ_SEED ? Number(process.env.FREIGHT_FUZZ_SEED) : undefined });
    }
    expect(sent).toBeGreaterThanOrEqual(w.ops.length * Math.min(RUNS, 3));
  });

  it('answers a method a documented path does not take with 405 and Allow, never 404', async () => {
    const byPath = new Map<string, Set<string>>();
    for (const op of w.ops) byPath.set(op.path, (byPath.get(op.path) ?? new Set()).add(op.method));
    let checked = 0;
    for (const [template, declared] of byPath) {
      const path = template.replace(/\{([^}]+)\}/g, (_, n: string) => encodeURIComponent(knownIds()[n] ?? '0d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11'));
      const allow = [...declared, ...(declared.has('GET') ? ['HEAD'] : [])].sort().join(', ');
      for (const method of METHODS.filter((m) => !declared.has(m))) {
        const a = await send(w.t, method, path, { token: w.t.adminKey });
        expect(a.status, a.label).toBe(405);
        checkUniform(a);
        expect(a.headers.get('allow'), a.label).toBe(allow);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
