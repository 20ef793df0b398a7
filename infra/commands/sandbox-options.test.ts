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
    const settings = { size: 10, seed: '1', limits: 'off' as const, ports: { affinity: 4010, attio: 4020, processStreet: 4030, tallyfy: 4040 } };
    expect(sandboxArgs(settings, settings.ports)).not.toContain('--state-dir');
    const args = sandboxArgs({ ...settings, stateDir: '/data/dev/sandbox' }, settings.ports);
    expect(parseCliOptions(args, {}).stateDir).toBe('/data/dev/sandbox');
  });

  it('says in the banner where the Attio data is kept and what it holds', () => {
    const sandbox = (stateDir: string | undefined, held = { records: 0, entries: 0, notes: 0 }) => ({
      settings: { size: 10, seed: '1', limits: 'real', ports: { affinity: 4010, attio: 4020, processStreet: 4030, tallyfy: 4040 }, stateDir },
      affinity: { url: 'http://127.0.0.1:4010', apiKey: 'k' },
      attio: { url: 'http://127.0.0.1:4020', token: 't', held },
      counts: { total: 10 },
      processStreet: { url: 'http://127.0.0.1:4030/api/v1.1', rootUrl: 'http://127.0.0.1:4030', apiKey: 'p', objects: 3000, records: 2700 },
      tallyfy: { url: 'http://127.0.0.1:4040', token: 'y', organizationId: 'org1' },
    }) as unknown as RunningSandbox;
    expect(sandboxBanner(sandbox('/d/sandbox')).join('\n')).toMatch(/Attio data +kept in \/d\/sandbox \(now empty;/);
    expect(sandboxBanner(sandbox('/d/sandbox', { records: 3, entries: 2, notes: 1 })).join('\n')).toContain('now 3 records, 2 list entries, 1 notes');
    expect(sandboxBanner(sandbox(undefined)).join('\n')).not.toContain('Attio data');
    expect(sandboxBanner(sandbox(undefined)).join('\n')).toMatch(/Process St\. +http:\/\/127\.0\.0\.1:4030\/api\/v1\.1 +API key \(X-API-KEY\) p/);
    expect(sandboxBanner(sandbox(undefined)).join('\n')).toMatch(/Tallyfy +http:\/\/127\.0\.0\.1:4040 +token y +organizationId org1/);
  });
});

describe('the outbound allow-list of npm start and the demo', () => {
  it('admits each sandbox port after what the operator set, and nothing without a sandbox', () => {
    const ports = { affinity: 4010, attio: 4021, processStreet: 4030, tallyfy: 4041 };
    expect(sandboxAllowHosts(ports, undefined)).toBe('127.0.0.1:4010,127.0.0.1:4021,127.0.0.1:4030,127.0.0.1:4041');
    expect(sandboxAllowHosts(ports, ' partner.example:443 ')).toBe('partner.example:443,127.0.0.1:4010,127.0.0.1:4021,127.0.0.1:4030,127.0.0.1:4041');
    expect(sandboxAllowHosts(undefined, undefined)).toBe('');
    expect(parseAllowHosts(sandboxAllowHosts({ affinity: 1, attio: 2, processStreet: 3, tallyfy: 4 }, 'x'))).toHaveLength(5);
  });
});
