import { describe, expect, it } from 'vitest';
import { createPoolGate, POOL_WAIT_TIMEOUT } from './pool-gate.ts';

describe('createPoolGate', () => {
  it('lets as many through as it has permits and hands a released permit to the first waiter', async () => {
    const gate = createPoolGate(2, 0);
    const a = await gate.acquire();
    const b = await gate.acquire();
    const order: string[] = [];
    const c = gate.acquire().then((r) => { order.push('c'); return r; });
    const d = gate.acquire().then((r) => { order.push('d'); return r; });
    expect(gate.stats()).toEqual({ permits: 2, inUse: 2, waiting: 2 });
    a();
    a(); // a second call of the same release is ignored
    (await c)();
    b();
    (await d)();
    expect(order).toEqual(['c', 'd']);
    expect(gate.stats()).toEqual({ permits: 2, inUse: 0, waiting: 0 });
  });

  it('ends a wait after waitMs with a transient error and keeps the queue consistent', async () => {
    const gate = createPoolGate(1, 30);
    const held = await gate.acquire();
    const err = await gate.acquire().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: POOL_WAIT_TIMEOUT });
    expect(gate.stats().waiting).toBe(0);
    held();
    expect(gate.stats().inUse).toBe(0);
  });

  it('ends a wait when the signal aborts, with its reason', async () => {
    const gate = createPoolGate(1, 0);
    const held = await gate.acquire();
    const ac = new AbortController();
    const waiting = gate.acquire(ac.signal);
    ac.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    held();
    expect(gate.stats()).toEqual({ permits: 1, inUse: 0, waiting: 0 });
  });
});
