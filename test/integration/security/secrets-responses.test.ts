import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../../shared/db/scope.ts';
import { send, type Answer } from './support/http.ts';
import { fillPath, isSecured, type Operation } from './support/operations.ts';
import { createSecurityWorld, saveLogs, type SecurityWorld } from './support/world.ts';

// Connection credentials go in once and never come out: not in any response of any operation
// (every GET in the document, with every role allowed to call it, on both tenants' objects), not
// in the log, not in the audit trail.

let w: SecurityWorld;
let secrets: string[];
const answers: Answer[] = [];

beforeAll(async () => {
  w = await createSecurityWorld();
  secrets = [...w.a.secrets, ...w.b.secrets];
});

afterAll(async () => {
  if (!w) return;
  await w.close();
});

function variants(op: Operation): string[] {
  const paths = [fillPath(op, w.a.ids, () => randomUUID()), fillPath(op, w.b.ids, () => randomUUID())];
  const query = op.params.filter((p) => p.in === 'query');
  // Ask for everything optional there is (e.g. ?live=true), to walk the widest responses.
  const extras = query.filter((p) => p.schema.enum?.includes('true')).map((p) => `${p.name}=true`);
  return extras.length > 0 ? [...paths, ...paths.map((p) => `${p}?${extras.join('&')}`)] : paths;
}

describe('connection secrets', () => {
  it('are not returned when a connection is created', async () => {
    const secret = `sec-create-${randomUUID()}`;
    secrets.push(secret);
    const res = await send(w.t, 'POST', '/v1/connections', {
      token: w.a.engineer, body: JSON.stringify({ name: 'c', type: 'attio', baseUrl: 'http://127.0.0.1:9/x', credentials: { apiKey: secret } }),
    });
    expect(res.status, res.label).toBe(201);
    answers.push(res);
    expect(res.text).not.toContain(secret);
    expect(res.text).not.toMatch(/credential|ciphertext|apiKey/i);
  });

  it('appear in no response of any read operation, for any role', async () => {
    let walked = 0;
    for (const op of w.ops.filter((o) => o.method === 'GET')) {
      const roles = isSecured(op) ? (op.roles ?? []) : [undefined];
      for (const path of variants(op)) {
        for (const role of roles) {
          for (const side of [w.a, w.b]) {
            const a = await send(w.t, 'GET', path, { token: role ? w.token(side, role) : undefined });
            answers.push(a);
            walked++;
            expect(a.status, a.label).toBeLessThan(500);
            for (const s of secrets) expect(a.text, a.label).not.toContain(s);
          }
        }
      }
    }
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(20);
    expect(walked).toBeGreaterThan(50);
  });

  it('appear in no audit row', async () => {
    for (const side of [w.a, w.b]) {
      const rows = await withTenant(w.t.ctx.ownerSql, side.tenant.id, (tx) => tx<{ text: string }[]>`
        select row_to_json(a)::text as text from freight.audit_events a`);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) for (const s of secrets) expect(r.text).not.toContain(s);
    }
  });

  it('appear in no log line of the app (written to test-artifacts/ for the post-run scan too)', () => {
    const logs = saveLogs(w.t, 'secrets');
    expect(logs.length).toBeGreaterThan(1000);
    for (const s of secrets) expect(logs).not.toContain(s);
  });
});
