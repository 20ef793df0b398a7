import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { withTenant } from '../../shared/db/scope.ts';
import { createTestApp, uniqueSlug, type TestApp } from './support/app.ts';

const BIN = fileURLToPath(new URL('../../bin/freight.mjs', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `freight` binary from a foreign working directory, configured like the API. */
function freight(...args: string[]): Promise<Run> {
  return run({ ...process.env, ...inject('stackEnv'), LOG_LEVEL: 'warn', FREIGHT_CLI_ACTOR: 'cli-test' }, args);
}

/** As a new terminal runs it: none of the stack's variables set, only which stack to read (FREIGHT_STACK). */
function freightInNewTerminal(extra: Record<string, string>, ...args: string[]): Promise<Run> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !(key in inject('stackEnv'))));
  return run({ ...env, LOG_LEVEL: 'warn', FREIGHT_CLI_ACTOR: 'cli-test', FREIGHT_STACK: inject('stackName'), ...extra }, args);
}

function run(env: NodeJS.ProcessEnv, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: path.parse(BIN).root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});

describe('freight CLI', () => {
  it('creates a tenant (idempotently), mints a working key once, lists and revokes it', async () => {
    const slug = uniqueSlug('cli');
    const created = await freight('tenant', 'create', '--slug', slug, '--name', 'CLI tenant', '--retention-days', '2');
    expect(created, created.stderr).toMatchObject({ code: 0 });
    expect(created.stdout).toMatch(new RegExp(`Created: ${slug} .*status active`));
    const again = await freight('tenant', 'create', '--slug', slug, '--name', 'CLI tenant', '--retention-days', '2');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Already existed/);
    const conflict = await freight('tenant', 'create', '--slug', slug, '--name', 'Renamed');
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/already exists/);

    const list = await freight('tenant', 'list', '--json');
    expect(list.code).toBe(0);
    const tenant = (JSON.parse(list.stdout) as { id: string; slug: string; status: string }[]).find((x) => x.slug === slug);
    expect(tenant).toMatchObject({ status: 'active' });

    const key = await freight('key', 'create', '--tenant', slug, '--role', 'engineer', '--name', 'from cli', '--json');
    expect(key.code, key.stderr).toBe(0);
    const minted = JSON.parse(key.stdout) as { id: string; key: string; tenantId: string };
    expect(minted.key).toMatch(/^frt_live_[0-9A-Za-z]{32}$/);
    expect(minted.tenantId).toBe(tenant?.id);
    expect((await t.call('GET', '/v1/me', { token: minted.key })).status).toBe(200);

    const keys = await freight('key', 'list', '--tenant', tenant?.id ?? '');
    expect(keys.stdout).toContain(minted.id);
    expect(keys.stdout).not.toContain(minted.key);

    const revoked = await freight('key', 'revoke', minted.id);
    expect(revoked.code).toBe(0);
    expect((await t.call('GET', '/v1/me', { token: minted.key })).status).toBe(401);

    const audit = await withTenant(t.ctx.sql, tenant?.id ?? '', (tx) => tx<{ action: string; actor_type: string; actor_id: string }[]>`
      select action, actor_type, actor_id from freight.audit_events where tenant_id = ${tenant?.id ?? ''} order by id`);
    expect(audit.map((r) => r.action)).toEqual(['tenant.create', 'tenant.activate', 'api_key.create', 'api_key.revoke']);
    for (const row of audit) expect(row).toMatchObject({ actor_type: 'cli', actor_id: 'cli-test' });
  });

  it("works as printed in a new terminal: reads the running stack's settings itself", async () => {
    const slug = uniqueSlug('cli-new-terminal');
    const created = await freightInNewTerminal({}, 'tenant', 'create', '--slug', slug, '--name', 'New terminal');
    expect(created.code, created.stderr).toBe(0);
    const key = await freightInNewTerminal({}, 'key', 'create', '--tenant', slug, '--role', 'engineer', '--json');
    expect(key.code, key.stderr).toBe(0);
    expect((await t.call('GET', '/v1/me', { token: (JSON.parse(key.stdout) as { key: string }).key })).status).toBe(200);
    const tenants = await freightInNewTerminal({}, 'tenant', 'list', '--json');
    expect((JSON.parse(tenants.stdout) as { slug: string }[]).map((x) => x.slug)).toContain(slug);

    const empty = mkdtempSync(path.join(tmpdir(), 'freight-no-stack-'));
    try {
      const none = await freightInNewTerminal({ FREIGHT_DATA_DIR: empty }, 'tenant', 'list');
      expect(none.code).toBe(1);
      expect(none.stderr).toMatch(/no running stack found .*`npm start`.*DATABASE_URL/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('exits 2 on usage errors and 1 on failures, with clear messages', async () => {
    const usage = await freight('key', 'create', '--tenant', 'x', '--role', 'admin');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--role must be engineer or viewer/);
    expect((await freight('frobnicate')).code).toBe(2);
    const missing = await freight('key', 'revoke', randomUUID());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/API key not found/);
    const noTenant = await freight('key', 'create', '--tenant', uniqueSlug('ghost'), '--role', 'viewer');
    expect(noTenant.code).toBe(1);
    expect(noTenant.stderr).toMatch(/Tenant not found/);
    const help = await freight('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/freight tenant create/);
  });
});
