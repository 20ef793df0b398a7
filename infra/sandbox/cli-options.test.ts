import { describe, expect, it } from 'vitest';
import { parseCliOptions } from './cli-options.ts';

describe('parseCliOptions', () => {
  it('takes flags over SANDBOX_* variables over defaults', () => {
    const options = parseCliOptions(['--affinity-port', '5000', '--size', '250', '--no-limits'], { SANDBOX_SIZE: '99', SANDBOX_ATTIO_PORT: '6000', SANDBOX_POISON_RATE: '0.01' });
    expect(options).toMatchObject({ affinityPort: 5000, attioPort: 6000, size: 250, poisonRate: 0.01, noLimits: true, poison: true, attioWritesPerSecond: 25, seed: '1' });
    expect(parseCliOptions([], { SANDBOX_NO_POISON: '1' }).poison).toBe(false);
    expect(parseCliOptions([], {}).contract).toBe(false);
    expect(parseCliOptions(['--contract'], {}).contract).toBe(true);
    expect(parseCliOptions([], { SANDBOX_CONTRACT: '1' }).contract).toBe(true);
    expect(parseCliOptions([], {}).stateDir).toBeUndefined();
    expect(parseCliOptions(['--state-dir', '/tmp/a'], { SANDBOX_STATE_DIR: '/tmp/b' }).stateDir).toBe('/tmp/a');
    expect(parseCliOptions([], { SANDBOX_STATE_DIR: '/tmp/b' }).stateDir).toBe('/tmp/b');
    expect(parseCliOptions([], {}).everyPersonHasCompany).toBe(false);
    expect(parseCliOptions(['--every-person-has-company'], {}).everyPersonHasCompany).toBe(true);
    expect(parseCliOptions([], { SANDBOX_EVERY_PERSON_HAS_COMPANY: '1' }).everyPersonHasCompany).toBe(true);
    expect(parseCliOptions([], {})).toMatchObject({ processStreetPort: 4030, tallyfyPort: 4040, psSize: 1, processStreetPerSecond: 10, tallyfyWindowScale: 1 });
    expect(parseCliOptions(['--tallyfy-window-scale', '0.002'], { SANDBOX_PROCESS_STREET_PER_SECOND: '0' })).toMatchObject({ tallyfyWindowScale: 0.002, processStreetPerSecond: 0 });
  });

  it('rejects bad values with a message naming the option', () => {
    expect(() => parseCliOptions(['--poison-rate', '2'], {})).toThrow(/poisonRate/);
    expect(() => parseCliOptions(['--bogus'], {})).toThrow();
    expect(() => parseCliOptions(['--tallyfy-window-scale', '0'], {})).toThrow(/tallyfyWindowScale/);
  });
});
