import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../../shared/auth/principal.ts';
import { expectError, send } from './support/http.ts';
import { fillPath, isSecured, isWrite } from './support/operations.ts';
import { useSecurityWorld, type SecurityWorld } from './support/world.ts';

// Roles as the document declares them (x-roles): every role not listed gets 403 — viewers on
// writes, engineers on admin-only routes, admins on tenant-only routes (api/README.md) — and
// every listed role gets past the check.

const ROLES: Role[] = ['admin', 'engineer', 'viewer'];
let w: SecurityWorld;
useSecurityWorld('authz', (world) => { w = world; });

describe('roles on every secured operation', () => {
  it('no write operation is open to viewers', () => {
    const open = w.ops.filter((op) => isSecured(op) && isWrite(op) && op.roles?.includes('viewer')).map((op) => op.label);
    expect(open).toEqual([]);
  });

  it('every secured operation names its roles', () => {
    const unnamed = w.ops.filter((op) => isSecured(op) && (op.roles ?? []).length === 0).map((op) => op.label);
    expect(unnamed).toEqual([]);
  });

  it('answers 403 to each role the operation does not list, with the uniform body', async () => {
    let checked = 0;
    for (const op of w.ops.filter(isSecured)) {
      const path = fillPath(op, w.a.ids, () => randomUUID());
      for (const role of ROLES.filter((r) => !op.roles?.includes(r))) {
        const a = await send(w.t, op.method, path, { token: w.token(w.a, role), ...(op.body ? { body: '{}' } : {}) });
        expectError(a, 403, 'forbidden');
        checked++;
      }
    }
    // viewer on every write, engineer on every admin-only route, admin on every tenant-only one.
    expect(checked).toBeGreaterThanOrEqual(15);
  });

  it('lets each listed role past the role check on reads of its own tenant', async () => {
    for (const op of w.ops.filter((o) => isSecured(o) && !isWrite(o))) {
      const path = fillPath(op, w.a.ids, () => randomUUID());
      for (const role of op.roles ?? []) {
        const a = await send(w.t, op.method, path, { token: w.token(w.a, role) });
        expect(a.status, `${role}: ${a.label}`).not.toBe(401);
        expect(a.status, `${role}: ${a.label}`).not.toBe(403);
        expect(a.status, `${role}: ${a.label}`).toBeLessThan(500);
      }
    }
  });
});
