import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './affinity/affinity-cursor.ts';
import { estimateAffinityCalls } from './affinity/quota-planner.ts';
import { claimUniqueValues, uniqueValueOf } from './attio/unique-claims.ts';
import { mapWithConcurrency } from './concurrency.ts';
import { redactSecrets } from './connector-error.ts';
import { createMemoryIdMap } from './id-map/memory-id-map.ts';

describe('Affinity cursor', () => {
  it('round-trips and stays small (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 500 }), fc.option(fc.base64String({ maxLength: 120 })), fc.option(fc.nat(), { nil: undefined }), (ps, t, l) => {
      const cursor = { ps, t, ...(l === undefined ? {} : { l }) };
      const text = encodeCursor(cursor);
      expect(decodeCursor(text)).toEqual(cursor);
      expect(text.length).toBeLessThan(200);
    }));
  });
  it('rejects anything else as a config error', () => {
    expect(() => decodeCursor('garbage')).toThrow(expect.objectContaining({ kind: 'config' }));
    expect(() => decodeCursor('{"ps":"5","t":null}')).toThrow();
  });
});

describe('estimateAffinityCalls', () => {
  it('counts pages, one field-values call per entity and entry, and the schema reads', () => {
    const e = estimateAffinityCalls({ counts: { organizations: 1000, persons: 1001, opportunities: 0, notes: 500, listEntries: 600, lists: 3 } });
    expect(e).toEqual({ pages: 2 + 3 + 1 + 1 + 5, fieldValueCalls: 2601, schemaCalls: 4, total: 12 + 2601 + 4 });
    expect(estimateAffinityCalls({ counts: { organizations: 10, persons: 0, opportunities: 0, notes: 0, listEntries: 0, lists: 0 }, withFieldValues: false }).fieldValueCalls).toBe(0);
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
