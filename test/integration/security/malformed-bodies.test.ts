import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkUniform, expectError, send } from './support/http.ts';
import { callerRole, fillPath, isSecured, isWrite, type Operation } from './support/operations.ts';
import { badFieldValues, objectShape, sampleValid, withValue } from './support/schema-values.ts';
import { startStubWorker } from './support/stub-worker.ts';
import { createSecurityWorld, saveLogs, type SecurityWorld } from './support/world.ts';

// Broken request bodies on every write operation, sent by a caller whose role is allowed: a 4xx
// with the uniform error body, never a 5xx, and the specific status the document promises.

let w: SecurityWorld;
let stub: { stop(): Promise<void> } | undefined;

beforeAll(async () => {
  w = await createSecurityWorld();
  // Operations without a declared body ignore it and go on (a batch retry then asks the workflow).
  stub = await startStubWorker(w.t, w.a.tenant.namespace);
});

afterAll(async () => {
  await stub?.stop();
  if (!w) return;
  await w.close();
  saveLogs(w.t, 'bodies');
});

const writes = (): Operation[] => w.ops.filter((op) => isSecured(op) && isWrite(op));
const withBody = (): Operation[] => writes().filter((op) => op.body);

function target(op: Operation): { path: string; token: string } {
  const role = callerRole(op);
  if (!role) throw new Error(`${op.label} has no role`);
  return { path: fillPath(op, w.a.ids, () => randomUUID()), token: w.token(w.a, role) };
}

const MALFORMED = ['{"a":', '{', 'nul', "{'single': 'quotes'}", '{"a":1}}', '\u0000', '{"a":"\\x"}', '[1,2,'];

describe('malformed and oversized bodies', () => {
  it('malformed JSON → 400 on operations with a body, and never a 5xx on the others', async () => {
    expect(withBody().length).toBeGreaterThanOrEqual(5);
    for (const op of writes()) {
      for (const body of MALFORMED) {
        const a = await send(w.t, op.method, target(op).path, { token: target(op).token, body });
        if (op.body) expectError(a, 400);
        else checkUniform(a);
      }
    }
  });

  it('JSON that is not an object, or absurdly nested → 400', async () => {
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const wide = JSON.stringify(Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i])));
    for (const op of withBody()) {
      for (const body of ['[]', 'null', '"str"', '1e999', 'true', '{"__proto__": {"admin": true}}', deep, wide]) {
        expectError(await send(w.t, op.method, target(op).path, { token: target(op).token, body }), 400);
      }
    }
  });

  it('a body that is not application/json → 415 (or 400), with the uniform body', async () => {
    for (const op of withBody()) {
      const valid = JSON.stringify(sampleValid(op.body ?? {}));
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
        expectError(await send(w.t, op.method, target(op).path, { token: target(op).token, body: valid, contentType }), [400, 415]);
      }
    }
  });

  it('wrong field types and unknown enum values → 400 validation_failed', async () => {
    let checked = 0;
    for (const op of withBody()) {
      const base = sampleValid(op.body ?? {});
      for (const bad of badFieldValues(op.body ?? {})) {
        const body = JSON.stringify(withValue(base, bad.path, bad.value));
        expectError(await send(w.t, op.method, target(op).path, { token: target(op).token, body }), 400, 'validation_failed');
        checked++;
      }
      const unknownField = JSON.stringify({ ...(base as object), zzUnknownField: 1 });
      const a = await send(w.t, op.method, target(op).path, { token: target(op).token, body: unknownField });
      if (objectShape(op.body ?? {}).additionalProperties === false) expectError(a, 400, 'validation_failed');
      else checkUniform(a);
    }
    expect(checked).toBeGreaterThanOrEqual(20);
  });

  it('NUL characters in any string field (PostgreSQL cannot store them) → 4xx, never 5xx', async () => {
    const connections = { sourceConnectionId: w.a.ids.connectionId, targetConnectionId: w.a.ids.targetConnectionId };
    for (const op of withBody()) {
      const base = sampleValid(op.body ?? {}, connections);
      for (const [name, prop] of Object.entries(objectShape(op.body ?? {}).properties ?? {})) {
        const value = prop.type === 'string' && !prop.enum && !prop.format ? 'a\u0000b' : prop.type === 'object' ? { note: 'a\u0000b' } : undefined;
        if (value === undefined) continue;
        checkUniform(await send(w.t, op.method, target(op).path, { token: target(op).token, body: JSON.stringify(withValue(base, [name], value)) }));
      }
    }
    // A job's free-form metadata goes to a jsonb column: \u0000 there is refused by PostgreSQL too.
    const job = await send(w.t, 'POST', '/v1/jobs', { token: w.a.engineer, body: JSON.stringify({ ...connections, metadata: { note: 'a\u0000b' } }) });
    expectError(job, 400);
  });

  it('a body over config.http.bodyLimitBytes → 413 on every write operation', async () => {
    const limit = w.t.ctx.config.http.bodyLimitBytes;
    const big = JSON.stringify({ name: 'x'.repeat(limit + 1) });
    for (const op of writes()) {
      expectError(await send(w.t, op.method, target(op).path, { token: target(op).token, body: big }), 413, 'payload_too_large');
      // Declared up front: rejected by Content-Length without reading the body.
      const declared = await send(w.t, op.method, target(op).path, { token: target(op).token, body: big, headers: { 'content-length': String(big.length) } });
      expectError(declared, 413, 'payload_too_large');
    }
  });
});
