import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../pairs/affinity-attio/affinity/affinity-cursor.ts';
import { planAffinityCalls } from '../pairs/affinity-attio/affinity/quota-planner.ts';
import { claimUniqueValues, uniqueValueOf } from '../pairs/affinity-attio/attio/unique-claims.ts';
import { createKeyedLock, mapWithConcurrency } from './concurrency.ts';
import { redactSecrets } from './connector-error.ts';
import { createMemoryIdMap } from './id-map/memory-id-map.ts';

describe('Affinity cursor', () => {
  it('round-trips and stays small (property)', () => {
    const nextUrl = fc.option(fc.base64String({ maxLength: 60 }).map((c) => `https://api.affinity.co/v2/persons?cursor=${c}&limit=100`));
    fc.assert(fc.property(nextUrl, fc.option(fc.nat(), { nil: undefined }), (u, l) => {
      const cursor = { u, ...(l === undefined ? {} : { l }) };
      const text = encodeCursor(cursor);
      expect(decodeCursor(text)).toEqual(cursor);
      expect(text.length).toBeLessThan(200);
    }));
  });
  it('rejects anything else as a config error', () => {
    expect(() => decodeCursor('garbage')).toThrow(expect.objectContaining({ kind: 'config' }));
    expect(() => decodeCursor('{"u":5}')).toThrow();
  });
});

describe('planAffinityCalls', () => {
  const counts = {
    organizations: 1000, persons: 1001, notes: 500,
    lists: [{ id: 1, type: 0, size: 250 }, { id: 2, type: 1, size: 0 }, { id: 3, type: 8, size: 101 }],
  };
  it('counts pages of 100 per kind moved, list entries per list (every list at least one page), a reply allowance and the schema reads', () => {
    const plan = planAffinityCalls(counts, ['organizations', 'persons', 'opportunities', 'lists', 'notes'], 9);
    expect(Object.fromEntries(plan.lines.map((l) => [l.endpoint, l.calls]))).toEqual({
      'GET /v2/companies': 10,
      'GET /v2/persons': 11,
      'GET /v2/lists/{id}/list-entries (opportunities)': 2,
      'GET /v2/lists/{id}/list-entries': 3 + 1 + 2,
      'GET /v2/notes': 5,
      'GET /v2/notes/{id}/replies': 25,
      'GET /persons/fields, /organizations/fields, /fields, /lists (v1)': 4,
    });
    expect(plan.total).toBe(10 + 11 + 2 + 6 + 5 + 25 + 4);
    expect(plan.countingCalls).toBe(9);
    expect(plan.records).toEqual({ organizations: 1000, persons: 1001, opportunities: 101, listEntries: 351, notes: 500 });
    expect(plan.callsPerRecord).toBeCloseTo(63 / 2953, 4);
  });
  it('plans only what the job moves', () => {
    const plan = planAffinityCalls(counts, ['persons']);
    expect(plan.lines.map((l) => l.endpoint)).toEqual(['GET /v2/persons', 'GET /persons/fields, /organizations/fields, /fields, /lists (v1)']);
    expect(plan.total).toBe(15);
  });
});

describe('mapWithConcurrency', () => {
  it('keeps order and never exceeds the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapWithConcurrency(Array.from({ length: 50 }, (_, i) => i), 4, async (i) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, (i * 7) % 5));
      inFlight -= 1;
      return i * 2;
    });
    expect(out).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
    expect(peak).toBeLessThanOrEqual(4);
  });
  it('rethrows the first failure after in-flight calls settle', async () => {
    await expect(mapWithConcurrency([1, 2, 3], 2, async (i) => { if (i === 2) throw new Error('boom'); return i; })).rejects.toThrow('boom');
  });
});

describe('memory id map and unique claims', () => {
  it('is insert-if-absent and returns what it holds', async () => {
    const map = createMemoryIdMap();
    await map.put([{ source: { kind: 'note', id: '1' }, target: { object: 'note', id: 'a' } }]);
    const held = await map.put([{ source: { kind: 'note', id: '1' }, target: { object: 'note', id: 'b' } }]);
    expect(held.get('note:1')?.id).toBe('a');
    expect(createMemoryIdMap({ initial: map.entries() }).entries()).toEqual(map.entries());
  });
  it('gives a shared value to its first claimer, stably across re-runs', async () => {
    const map = createMemoryIdMap();
    const claim = (id: string, values: string[]) => claimUniqueValues(map, { object: 'people', attribute: 'email_addresses', source: { kind: 'person', id }, values });
    expect(await claim('1', ['a@x.io', 'b@x.io'])).toEqual({ kept: ['a@x.io', 'b@x.io'], lost: [] });
    expect(await claim('2', ['b@x.io', 'c@x.io'])).toEqual({ kept: ['c@x.io'], lost: [{ value: 'b@x.io', owner: 'person:1' }] });
    expect(await claim('1', ['a@x.io', 'b@x.io'])).toEqual({ kept: ['a@x.io', 'b@x.io'], lost: [] });
    expect(uniqueValueOf({ email_address: ' A@X.io ' })).toBe('a@x.io');
    expect(uniqueValueOf({ domain: 'Acme.com' })).toBe('acme.com');
  });
});

describe('redactSecrets', () => {
  it('removes the key and its Basic encoding', () => {
    const basic = Buffer.from(':sekret-key').toString('base64');
    expect(redactSecrets(`key sekret-key, header Basic ${basic}`, ['sekret-key'])).toBe('key [REDACTED], header Basic [REDACTED]');
  });
});

describe('createKeyedLock', () => {
  it('runs calls of one key one after the other, other keys alongside, and goes on after a failure', async () => {
    const withKey = createKeyedLock();
    const log: string[] = [];
    const step = (name: string, ms: number, fail = false) => async () => {
      log.push(`${name}:start`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`${name}:end`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([withKey('a', step('a1', 30, true)), withKey('a', step('a2', 5)), withKey('b', step('b1', 5))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    // b ran while a1 held its key; a2 started only after a1 ended (and despite its failure).
    expect(log.indexOf('b1:end')).toBeLessThan(log.indexOf('a1:end'));
    expect(log.indexOf('a2:start')).toBeGreaterThan(log.indexOf('a1:end'));
  });
});
