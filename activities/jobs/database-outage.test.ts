import { describe, expect, it } from 'vitest';
import { isPermanentDatabaseError } from '../../shared/db/connection-loss.ts';
import { isDatabaseUnavailable, throughDatabaseOutages } from './database-outage.ts';

const lost = (): Error => Object.assign(new Error('write CONNECTION_CLOSED'), { code: 'CONNECTION_CLOSED' });
const refused = (): Error => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

function clock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => { t += ms; } };
}

describe('throughDatabaseOutages', () => {
  it('waits until the database answers, then runs the work again in the same attempt', async () => {
    const c = clock();
    let runs = 0;
    let probes = 0;
    const out = await throughDatabaseOutages(async () => {
      runs += 1;
      if (runs === 1) throw lost();
      return 'done';
    }, {
      ...c, signal: new AbortController().signal, deadline: () => 600_000,
      probe: async () => {
        probes += 1;
        if (probes < 4) throw refused();
      },
    });
    expect(out).toBe('done');
    expect(runs).toBe(2);
    expect(probes).toBe(4);
    // Backoff 250, 500, 1000, 2000 ms between probes.
    expect(c.now()).toBe(3_750);
  });

  it('lets other errors, and an outage past the deadline, through at once', async () => {
    const c = clock();
    const bug = Object.assign(new Error('duplicate key'), { name: 'PostgresError', code: '23505' });
    await expect(throughDatabaseOutages(async () => { throw bug; }, { ...c, signal: new AbortController().signal, deadline: () => 1e9, probe: async () => {} }))
      .rejects.toBe(bug);
    const err = lost();
    await expect(throughDatabaseOutages(async () => { throw err; }, { ...c, signal: new AbortController().signal, deadline: () => 5_000, probe: async () => { throw refused(); } }))
      .rejects.toBe(err);
    expect(c.now()).toBeGreaterThanOrEqual(5_000);
  });

  it('ends the wait when the activity is cancelled', async () => {
    const ac = new AbortController();
    const waiting = throughDatabaseOutages(async () => { throw lost(); }, {
      signal: ac.signal, deadline: () => Date.now() + 60_000, probe: async () => { throw refused(); },
    });
    setTimeout(() => ac.abort(new Error('cancelled')), 20);
    await expect(waiting).rejects.toThrow('cancelled');
  });
});

describe('database error classes', () => {
  it('sees an outage through wrapping errors and a pool wait timeout', () => {
    expect(isDatabaseUnavailable(new Error('write failed', { cause: lost() }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('busy'), { code: 'POOL_WAIT_TIMEOUT' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('HTTP 500'))).toBe(false);
  });

  it('calls constraint, privilege and schema errors permanent, timeouts and conflicts not', () => {
    const pg = (code: string) => Object.assign(new Error(code), { name: 'PostgresError', code });
    for (const code of ['23505', '42501', '42P01', '22P02', '0A000']) expect(isPermanentDatabaseError(pg(code))).toBe(true);
    for (const code of ['57014', '55P03', '40001', '40P01', '57P01']) expect(isPermanentDatabaseError(pg(code))).toBe(false);
    expect(isPermanentDatabaseError(Object.assign(new Error('x'), { code: '23505' }))).toBe(false);
  });
});
