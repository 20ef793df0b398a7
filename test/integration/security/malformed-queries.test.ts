import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkUniform, expectError, send } from './support/http.ts';
import { callerRole, fillPath, isSecured, pathParamNames, type Operation } from './support/operations.ts';
import { useSecurityWorld, type SecurityWorld } from './support/world.ts';

// Query parameters and path parameters of the wrong shape: 400 (or 404 for an id that names
// nothing), with the uniform body, never a 5xx — cursors in particular are decoded server-side.

let w: SecurityWorld;
useSecurityWorld('queries', (world) => { w = world; });

function target(op: Operation): { path: string; token: string } {
  const role = callerRole(op);
  if (!role) throw new Error(`${op.label} has no role`);
  return { path: fillPath(op, w.a.ids, () => randomUUID()), token: w.token(w.a, role) };
}

const GARBAGE = ['', ' ', 'abc', '-1', '0', '1e9', '99999999999999999999', '1.5', 'NaN', '%00', '%E0%A4%A', "' or 1=1--", 'zz-unknown', 'x'.repeat(5_000)];
const CURSORS = ['', 'garbage', 'eyJ9', 'eyJpZCI6MX0', Buffer.from('{"createdAt":"not a date","id":"x"}').toString('base64url'),
  Buffer.from('{"createdAt":"2026-01-01T00:00:00Z","id":"not-a-uuid"}').toString('base64url'), Buffer.from('[1,2,3]').toString('base64url'),
  Buffer.from('null').toString('base64url'), Buffer.from('{"k":["a",1]}').toString('base64url'), '%ZZ', '..%2F..%2F', 'A'.repeat(199)];

describe('malformed query strings', () => {
  it('every query parameter of every operation: wrong types, unknown enum values, garbage cursors → 4xx, never 5xx', async () => {
    let checked = 0;
    for (const op of w.ops.filter(isSecured)) {
      const { path, token } = target(op);
      for (const param of op.params.filter((p) => p.in === 'query')) {
        const values = param.name === 'cursor' ? [...CURSORS, ...GARBAGE] : GARBAGE;
        for (const value of values) {
          const a = await send(w.t, op.method, `${path}?${param.name}=${value.startsWith('%') ? value : encodeURIComponent(value)}`, { token });
          checkUniform(a);
          checked++;
          if (param.schema.enum && value === 'zz-unknown') expectError(a, 400, 'validation_failed');
          if (param.schema.type === 'integer' && value === 'abc') expectError(a, 400, 'validation_failed');
        }
        // Repeated parameters must not confuse the validators either.
        checkUniform(await send(w.t, op.method, `${path}?${param.name}=1&${param.name}=2`, { token }));
      }
    }
    expect(checked).toBeGreaterThanOrEqual(100);
  });

  it('unknown query parameters are ignored or rejected, never a 5xx', async () => {
    for (const op of w.ops.filter((o) => isSecured(o) && o.method === 'GET')) {
      const { path, token } = target(op);
      checkUniform(await send(w.t, 'GET', `${path}?zz=1&__proto__[x]=1&constructor=1`, { token }));
    }
  });
});

describe('malformed path parameters', () => {
  it('ids of the wrong shape → 400 or 404, never a 5xx', async () => {
    const bad = ['not-a-uuid', '00000000-0000-0000-0000-000000000000', randomUUID().toUpperCase(), `${randomUUID()}x`, '%00', '..', 'a'.repeat(300), "1' or '1'='1", '%E2%80%AE'];
    for (const op of w.ops.filter((o) => isSecured(o) && pathParamNames(o).length > 0)) {
      const role = callerRole(op);
      if (!role) continue;
      for (const name of pathParamNames(op)) {
        for (const value of bad) {
          const path = op.path.replace(/\{([^}]+)\}/g, (_, n: string) => (n === name ? (value.startsWith('%') ? value : encodeURIComponent(value)) : encodeURIComponent(w.a.ids[n] ?? randomUUID())));
          const a = await send(w.t, op.method, path, { token: w.token(w.a, role), ...(op.body ? { body: '{}' } : {}) });
          expectError(a, [400, 404]);
        }
      }
    }
  });
});
