import path from 'node:path';
import { stackDataDir } from '../dev-stack/paths.ts';
import { describe, expect, it } from 'vitest';
import { parseCliOptions } from '../sandbox/cli-options.ts';
import { parseDemoArgs } from './demo-args.ts';
import { SANDBOX_KEYS, TALLYFY_TIME_SCALE, sandboxArgs, sandboxSettingsFromEnv, unlimitedConnectorBudgets } from './sandbox-options.ts';

describe('parseDemoArgs', () => {
  it('defaults to 5,000 records, limits off, human output', () => {
    expect(parseDemoArgs([])).toEqual({
      pair: 'affinity-attio', size: 5000, seed: 'demo', realLimits: false, json: false, batchSize: undefined, concurrency: undefined, timeoutMinutes: 30, stallMinutes: 3, help: false,
    });
  });

  it('reads every flag', () => {
    const args = parseDemoArgs(['--pair', 'affinity-attio', '--size', '20_000', '--seed', 's7', '--real-limits', '--json', '--batch-size', '250', '--concurrency', '8', '--timeout-minutes', '5', '--stall-minutes', '1']);
    expect(args).toEqual({ pair: 'affinity-attio', size: 20_000, seed: 's7', realLimits: true, json: true, batchSize: 250, concurrency: 8, timeoutMinutes: 5, stallMinutes: 1, help: false });
  });

  it('refuses a pair that has no demo, naming those that have one', () => {
    expect(() => parseDemoArgs(['--pair', 'nope-nope'])).toThrow(/--pair: no demo for "nope-nope"; one of affinity-attio/);
  });

  it('takes size and seed from FREIGHT_SANDBOX_* when no flag is given; flags win', () => {
    const env = { FREIGHT_SANDBOX_SIZE: '8000', FREIGHT_SANDBOX_SEED: 'x' };
    expect(parseDemoArgs([], env)).toMatchObject({ size: 8000, seed: 'x' });
    expect(parseDemoArgs(['--size', '6000'], env)).toMatchObject({ size: 6000, seed: 'x' });
  });

  it('refuses unknown flags, positionals and malformed numbers with a usage hint', () => {
    expect(() => parseDemoArgs(['--sise', '10'])).toThrow(/usage: npm run demo/);
    expect(() => parseDemoArgs(['extra'])).toThrow(/usage: npm run demo/);
    expect(() => parseDemoArgs(['--size', 'many'])).toThrow('--size must be a positive whole number (got "many")');
    expect(() => parseDemoArgs(['--size', '0'])).toThrow(/--size/);
    expect(() => parseDemoArgs(['--concurrency', '1.5'])).toThrow(/--concurrency/);
    expect(() => parseDemoArgs([], { FREIGHT_SANDBOX_SIZE: '-1' })).toThrow(/FREIGHT_SANDBOX_SIZE/);
  });

  it('recognises --help and -h', () => {
    expect(parseDemoArgs(['-h']).help).toBe(true);
    expect(parseDemoArgs(['--help']).help).toBe(true);
  });
});

describe('sandboxSettingsFromEnv (npm start)', () => {
  it('runs the sandbox by default: 5,000 records, seed 1, real limits, dev ports, Attio data kept in the stack', () => {
    expect(sandboxSettingsFromEnv({})).toEqual({
      size: 5000, seed: '1', limits: 'real', ports: { affinity: 4010, attio: 4020, processStreet: 4030, tallyfy: 4040 }, stateDir: path.join(stackDataDir('dev', {}), 'sandbox'),
    });
  });

  it('honours FREIGHT_SANDBOX=off, size, seed and FREIGHT_SANDBOX_LIMITS=off', () => {
    expect(sandboxSettingsFromEnv({ FREIGHT_SANDBOX: 'off' })).toBeNull();
    expect(sandboxSettingsFromEnv({ FREIGHT_SANDBOX: 'OFF ' })).toBeNull();
    expect(sandboxSettingsFromEnv({ FREIGHT_SANDBOX_SIZE: '100000', FREIGHT_SANDBOX_SEED: 'abc', FREIGHT_SANDBOX_LIMITS: 'off' }))
      .toMatchObject({ size: 100_000, seed: 'abc', limits: 'off' });
    expect(sandboxSettingsFromEnv({ FREIGHT_SANDBOX_LIMITS: 'real' })?.limits).toBe('real');
  });

  it('says which variable is wrong', () => {
    expect(() => sandboxSettingsFromEnv({ FREIGHT_SANDBOX_LIMITS: 'fast' })).toThrow(/FREIGHT_SANDBOX_LIMITS/);
    expect(() => sandboxSettingsFromEnv({ FREIGHT_SANDBOX_SIZE: '5k' })).toThrow(/FREIGHT_SANDBOX_SIZE/);
  });

  it('turns settings into infra/sandbox/main.ts arguments', () => {
    const settings = { size: 5000, seed: '1', limits: 'off' as const, ports: { affinity: 4010, attio: 4020, processStreet: 4030, tallyfy: 4040 } };
    expect(sandboxArgs(settings, { affinity: 4011, attio: 4021, processStreet: 4031, tallyfy: 4041 })).toEqual([
      '--host', '127.0.0.1', '--affinity-port', '4011', '--attio-port', '4021', '--process-street-port', '4031', '--tallyfy-port', '4041',
      '--size', '5000', '--seed', '1', '--affinity-key', SANDBOX_KEYS.affinity, '--attio-token', SANDBOX_KEYS.attio,
      '--process-street-key', SANDBOX_KEYS.processStreet, '--tallyfy-token', SANDBOX_KEYS.tallyfy, '--no-limits', '--contract',
    ]);
    expect(sandboxArgs({ ...settings, limits: 'real' }, settings.ports)).not.toContain('--no-limits');
  });

  it('produces arguments the sandbox CLI accepts, flags winning over stray SANDBOX_* variables', () => {
    const settings = { size: 7000, seed: 'seed', limits: 'off' as const, ports: { affinity: 4010, attio: 4020, processStreet: 4030, tallyfy: 4040 } };
    const parsed = parseCliOptions(sandboxArgs(settings, { affinity: 5010, attio: 5020, processStreet: 5030, tallyfy: 5040 }), { SANDBOX_SIZE: '10', SANDBOX_ATTIO_TOKEN: 'other' });
    expect(parsed).toMatchObject({ host: '127.0.0.1', affinityPort: 5010, attioPort: 5020, size: 7000, seed: 'seed', noLimits: true, attioToken: SANDBOX_KEYS.attio, contract: true });
    expect(parsed).toMatchObject({ processStreetPort: 5030, tallyfyPort: 5040, processStreetKey: SANDBOX_KEYS.processStreet, tallyfyToken: SANDBOX_KEYS.tallyfy });
  });

  it('compresses Tallyfy\'s windows and lifts the other limits under `compressed`, and tells the worker the same hour', () => {
    const settings = { size: 10, seed: '1', limits: 'compressed' as const, ports: { affinity: 1, attio: 2, processStreet: 3, tallyfy: 4 } };
    const parsed = parseCliOptions(sandboxArgs(settings, settings.ports), {});
    expect(parsed).toMatchObject({ noLimits: false, tallyfyWindowScale: TALLYFY_TIME_SCALE, processStreetPerSecond: 0, affinityPerMinute: 0, attioWritesPerSecond: 0 });
    const env = unlimitedConnectorBudgets(settings);
    expect(Number(env.FREIGHT_TALLYFY_HOUR_MS)).toBe(3_600_000 * TALLYFY_TIME_SCALE);
    expect(Number(env.FREIGHT_TALLYFY_REQUESTS_PER_MIN)).toBe(600 / TALLYFY_TIME_SCALE);
    expect(env.FREIGHT_TALLYFY_COMMENTS_PER_HOUR).toBeUndefined();
    expect(Number(unlimitedConnectorBudgets({ ...settings, limits: 'off' }).FREIGHT_TALLYFY_COMMENTS_PER_HOUR)).toBeGreaterThan(1_000_000);
  });
});

describe('unlimitedConnectorBudgets', () => {
  it("lifts the worker's own pacing only when the sandbox enforces no limit", () => {
    const settings = { size: 5000, seed: '1', limits: 'off' as const, ports: { affinity: 4010, attio: 4020, processStreet: 4030, tallyfy: 4040 } };
    expect(Number(unlimitedConnectorBudgets(settings).FREIGHT_ATTIO_WRITES_PER_SEC)).toBeGreaterThan(10_000);
    expect(unlimitedConnectorBudgets({ ...settings, limits: 'real' })).toEqual({});
    expect(unlimitedConnectorBudgets(null)).toEqual({});
  });
});
