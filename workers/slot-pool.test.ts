import type { ActivitySlotInfo, SlotPermit, SlotReserveContext } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { createSlotPool, type SlotPoolMember } from './slot-pool.ts';

const CTX = { slotType: 'activity', taskQueue: 'q', workerIdentity: 'w', workerBuildId: '', isSticky: false } satisfies SlotReserveContext;
const INFO: ActivitySlotInfo = { type: 'activity', activityType: 'loadBatch' };

type Member = SlotPoolMember<ActivitySlotInfo>;
const reserve = (m: Member, signal = new AbortController().signal): Promise<SlotPermit> => m.supplier.reserveSlot(CTX, signal);
const release = (m: Member, permit: SlotPermit): void => m.supplier.releaseSlot({ permit, slotInfo: INFO });
/** Whether the promise has settled by the next macrotask (the pool grants synchronously or not at all). */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(() => { done = true; }, () => { done = true; });
  await new Promise((r) => setImmediate(r));
  return done;
}

describe('process-wide slot pool', () => {
  it('never lets its members hold more than the capacity between them', async () => {
    const pool = createSlotPool({ capacity: 5 });
    const a = pool.member<ActivitySlotInfo>('a', 1);
    const b = pool.member<ActivitySlotInfo>('b', 1);
    const held = [await reserve(a), await reserve(a), await reserve(a), await reserve(a)];
    // a holds 4; b's guaranteed slot is still set aside, so a's fifth waits.
    const fifth = reserve(a);
    expect(await settled(fifth)).toBe(false);
    const bFirst = await reserve(b);
    expect(pool.stats()).toMatchObject({ held: 5, waiting: 1 });
    release(a, held[0] as SlotPermit);
    expect(await settled(fifth)).toBe(true);
    expect(pool.stats().held).toBe(5);
    release(b, bFirst);
    expect(pool.stats().held).toBe(4);
  });

  it("keeps a member's guaranteed slots for it however busy the others are", async () => {
    const pool = createSlotPool({ capacity: 6 });
    const busy = pool.member<ActivitySlotInfo>('busy', 2);
    const idle = pool.member<ActivitySlotInfo>('idle', 2);
    for (let i = 0; i < 4; i += 1) await reserve(busy);
    expect(await settled(reserve(busy))).toBe(false);
    // The idle Worker's pollers still get their two slots at once.
    expect(await settled(reserve(idle))).toBe(true);
    expect(await settled(reserve(idle))).toBe(true);
    expect(await settled(reserve(idle))).toBe(false);
  });

  it('gives a freed slot to a waiting member that runs tasks before one that only polls', async () => {
    const pool = createSlotPool({ capacity: 4 });
    const busy = pool.member<ActivitySlotInfo>('busy', 1);
    const idle = pool.member<ActivitySlotInfo>('idle', 1);
    const running = await reserve(busy);
    busy.supplier.markSlotUsed({ permit: running, slotInfo: INFO });
    const extra = await reserve(busy);
    await reserve(busy);
    await reserve(idle);
    const idleWaits = reserve(idle);
    const busyWaits = reserve(busy);
    release(busy, extra);
    // The idle member holds fewer, but its extra poll is speculative: the busy one gets the slot.
    expect(await settled(busyWaits)).toBe(true);
    expect(await settled(idleWaits)).toBe(false);
  });

  it('gives a freed slot to the waiting member that holds the fewest', async () => {
    const pool = createSlotPool({ capacity: 4 });
    const a = pool.member<ActivitySlotInfo>('a', 1);
    const b = pool.member<ActivitySlotInfo>('b', 1);
    const aPermits = [await reserve(a), await reserve(a), await reserve(a)];
    await reserve(b);
    const aWaits = reserve(a);
    const bWaits = reserve(b);
    release(a, aPermits[0] as SlotPermit);
    // a (2 held) queued first, but b holds only 1: b gets the slot.
    expect(await settled(bWaits)).toBe(true);
    expect(await settled(aWaits)).toBe(false);
  });

  it('hands an aborted reservation back as the signal reason and forgets it', async () => {
    const pool = createSlotPool({ capacity: 1 });
    const a = pool.member<ActivitySlotInfo>('a', 1);
    const first = await reserve(a);
    const controller = new AbortController();
    const waiting = reserve(a, controller.signal);
    controller.abort(new Error('poller gone'));
    await expect(waiting).rejects.toThrow('poller gone');
    expect(pool.stats().waiting).toBe(0);
    release(a, first);
    expect(pool.stats().held).toBe(0);
  });

  it('counts used slots, and a release of the same permit twice once', async () => {
    const pool = createSlotPool({ capacity: 3 });
    const a = pool.member<ActivitySlotInfo>('a', 1);
    const permit = await reserve(a);
    a.supplier.markSlotUsed({ permit, slotInfo: INFO });
    expect(pool.stats()).toMatchObject({ held: 1, used: 1 });
    release(a, permit);
    release(a, permit);
    expect(pool.stats()).toMatchObject({ held: 0, used: 0 });
  });

  it('refuses eager reservations beyond the budget and ahead of waiting ones, but not within a guarantee', async () => {
    const pool = createSlotPool({ capacity: 3 });
    const a = pool.member<ActivitySlotInfo>('a', 1);
    const b = pool.member<ActivitySlotInfo>('b', 1);
    await reserve(a);
    await reserve(a);
    const aWaits = reserve(a);
    expect(a.supplier.tryReserveSlot(CTX)).toBeNull();
    expect(b.supplier.tryReserveSlot(CTX)).not.toBeNull();
    expect(b.supplier.tryReserveSlot(CTX)).toBeNull();
    expect(await settled(aWaits)).toBe(false);
  });

  it('refuses a member whose guarantee does not fit; a closed member returns its share and fails its waiters', async () => {
    const pool = createSlotPool({ capacity: 4 });
    const a = pool.member<ActivitySlotInfo>('a', 2);
    pool.member<ActivitySlotInfo>('b', 2);
    expect(() => pool.member('c', 1)).toThrow(/guaranteed/);
    await reserve(a);
    await reserve(a);
    const waiting = reserve(a);
    a.close();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(pool.stats()).toMatchObject({ held: 0, members: 1 });
    expect(() => pool.member('c', 2)).not.toThrow();
  });
});
