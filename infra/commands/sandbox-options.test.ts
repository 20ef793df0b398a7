import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCliOptions } from '../sandbox/cli-options.ts';
import { sandboxBanner } from './sandbox-banner.ts';
import { sandboxAllowHosts, sandboxArgs, sandboxSettingsFromEnv } from './sandbox-options.ts';
import { parseAllowHosts } from '../../shared/outbound/allow-list.ts';
import type { RunningSandbox } from './sandbox-process.ts';

describe('the sandbox state of npm start', () => {
  it('keeps the Attio workspace in the dev stack folder unless FREIGHT_SANDBOX_PERSIST=off', () => {
    expect(sandboxSettingsFromEnv({ FREIGHT_DATA_DIR: '/data' })?.stateDir).toBe(path.join('/data', 'dev', 'sandbox'));
    expect(sandboxSettingsFromEnv({})?.stateDir).toMatch(/[/\\]\.freight[/\\]dev[/\\]sandbox$/);
    expect(sandboxSettingsFromEnv({ FREIGHT_SANDBOX_PERSIST: 'off' })?.stateDir).toBeUndefined();
  });

  it('passes it as --state-dir, which the sandbox CLI accepts; settings without one (the demo) pass none', () => {
    const settings = { size: 10, seed: '1', limits: 'off' as const, ports: { affinity: 4010, attio: 4020 } };
    expect(sandboxArgs(settings, settings.ports)).not.toContain('--state-dir');
    const args = sandboxArgs({ ...settings, stateDir: '/data/dev/sandbox' }, settings.ports);
    expect(parseCliOptions(args, {}).stateDir).toBe('/data/dev/sandbox');
  });

  it('says in the banner where the Attio data is kept and what it holds', () => {
    const sandbox = (stateDir: string | undefined, held = { records: 0, entries: 0, notes: 0 }) => ({
      settings: { size: 10, seed: '1', limits: 'real', ports: { affinity: 4010, attio: 4020 }, stateDir },
      affinity: { url: 'http://127.0.0.1:4010', apiKey: 'k' },
      attio: { url: 'http://127.0.0.1:4020', token: 't', held },
      counts: { total: 10 },
    }) as unknown as RunningSandbox;
    expect(sandboxBanner(sandbox('/d/sandbox')).join('\n')).toMatch(/Attio data +kept in \/d\/sandbox \(now empty;/);
    expect(sandboxBanner(sandbox('/d/sandbox', { records: 3, entries: 2, notes: 1 })).join('\n')).toContain('now 3 records, 2 list entries, 1 notes');
    expect(sandboxBanner(sandbox(undefined)).join('\n')).not.toContain('Attio data');
  });
});

describe('the outbound allow-list of npm start and the demo', () => {
  it('admits the two sandbox ports after what the operator set, and nothing without a sandbox', () => {
    expect(sandboxAllowHosts({ affinity: 4010, attio: 4021 }, undefined)).toBe('127.0.0.1:4010,127.0.0.1:4021');
    expect(sandboxAllowHosts({ affinity: 4010, attio: 4020 }, ' partner.example:443 ')).toBe('partner.example:443,127.0.0.1:4010,127.0.0.1:4020');
    expect(sandboxAllowHosts(undefined, undefined)).toBe('');
    expect(parseAllowHosts(sandboxAllowHosts({ affinity: 1, attio: 2 }, 'x'))).toHaveLength(3);
  });
});
