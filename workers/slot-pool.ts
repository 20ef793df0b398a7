import type { CustomSlotSupplier, SlotInfo, SlotPermit } from '@temporalio/worker';

export interface SlotPoolStats {
  capacity: number;
  /** Permits handed out: slots running a task plus slots reserved for a poll. */
  held: number;
  /** Permits running a task (activity or workflow activation). */
  used: number;
  /** Reservations waiting for a slot to free. */
  waiting: number;
  members: number;
}

export interface SlotPoolMember<SI extends SlotInfo> {
  /** The slot supplier of one Worker (its tuner's entry for this slot type). */
  supplier: CustomSlotSupplier<SI>;
  /** Slots this Worker holds now. */
  held(): number;
  /**
   * Leaves the pool once the Worker has stopped: its guarantee returns to the pool and whatever it
   * still held (nothing, after a clean stop) is forgotten.
   */
  close(): void;
}

export interface SlotPool {
  /**
   * A Worker's share: `guaranteed` slots always set aside for it (the ones its pollers hold while
   * idle), any more drawn from what no other member holds or is guaranteed.
   */
  member<SI extends SlotInfo>(name: string, guaranteed: number): SlotPoolMember<SI>;
  stats(): SlotPoolStats;
}

interface Member {
  name: string;
  guaranteed: number;
  held: number;
  used: number;
  closed: boolean;
}

interface Permit extends SlotPermit {
  member: Member;
  used: boolean;
  released: boolean;
}

interface Waiter {
  member: Member;
  grant: (permit: Permit) => void;
  fail: (reason: unknown) => void;
}

/**
 * One budget of task slots for every Worker of the process, handed to each Worker as a custom slot
 * supplier (Temporal SDK `tuner`). At no time do the members hold more than `capacity` slots, and
 * the slots a member is guaranteed count against it whether held or not:
 *
 *   committed = Σ max(held, guaranteed) ≤ capacity
 *
 * The guarantee is what keeps an idle Worker alive: the SDK reserves a slot before each long poll, so
 * a Worker that could get none would never see its tasks, however few other Workers had. Beyond it,
 * the free slots go to waiting members that run tasks before those that only poll, and among them to
 * the one that holds the fewest, so a busy tenant cannot keep a newly busy one at its guarantee.
 */
export function createSlotPool(options: { capacity: number }): SlotPool {
  const { capacity } = options;
  const members = new Set<Member>();
  const waiters: Waiter[] = [];

  const sum = (f: (m: Member) => number): number => [...members].reduce((n, m) => n + f(m), 0);
  const committed = (): number => sum((m) => Math.max(m.held, m.guaranteed));
  /** Whether one more slot for `m` keeps the pool within capacity (a guaranteed one is counted already). */
  const fits = (m: Member, total: number): boolean => (m.held < m.guaranteed ? total <= capacity : total + 1 <= capacity);
  const issue = (m: Member): Permit => {
    m.held += 1;
    return { member: m, used: false, released: false };
  };

  /**
   * Whether waiter `a` goes before `b`: a member running tasks before one that only polls (its extra
   * polls are speculative, a busy member's find work), then the member holding the fewest, then in order.
   */
  const before = (a: Waiter, b: Waiter): boolean => {
    const busyA = a.member.used > 0;
    const busyB = b.member.used > 0;
    if (busyA !== busyB) return busyA;
    return a.member.held < b.member.held;
  };

  /** Grants waiting reservations while slots allow, in `before` order. */
  const pump = (): void => {
    for (;;) {
      const total = committed();
      let best: Waiter | undefined;
      for (const w of waiters) {
        if (!fits(w.member, total)) continue;
        if (!best || before(w, best)) best = w;
      }
      if (!best) return;
      waiters.splice(waiters.indexOf(best), 1);
      best.grant(issue(best.member));
    }
  };

  const release = (permit: Permit): void => {
    if (permit.released) return;
    permit.released = true;
    const m = permit.member;
    if (m.closed) return;
    m.held -= 1;
    if (permit.used) m.used -= 1;
    pump();
  };

  return {
    member<SI extends SlotInfo>(name: string, guaranteed: number): SlotPoolMember<SI> {
      const already = sum((m) => m.guaranteed);
      if (already + guaranteed > capacity) {
        throw new Error(`slot pool: ${name} needs ${guaranteed} guaranteed slots, but ${already} of ${capacity} are guaranteed to other Workers`);
      }
      const m: Member = { name, guaranteed, held: 0, used: 0, closed: false };
      members.add(m);
      const supplier: CustomSlotSupplier<SI> = {
        type: 'custom',
        reserveSlot(_ctx, signal) {
          return new Promise<SlotPermit>((resolve, reject) => {
            if (signal.aborted || m.closed) {
              reject(signal.aborted ? signal.reason : new DOMException(`${name} has left the slot pool`, 'AbortError'));
              return;
            }
            // The SDK aborts a reservation it no longer needs (shutdown, fewer pollers) and expects the
            // signal's own reason back: that one it does not log as an error.
            const onAbort = (): void => {
              const at = waiters.indexOf(waiter);
              if (at >= 0) waiters.splice(at, 1);
              reject(signal.reason);
            };
            const waiter: Waiter = {
              member: m,
              grant: (permit) => {
                signal.removeEventListener('abort', onAbort);
                resolve(permit);
              },
              fail: (reason) => {
                signal.removeEventListener('abort', onAbort);
                reject(reason);
              },
            };
            signal.addEventListener('abort', onAbort, { once: true });
            waiters.push(waiter);
            pump();
          });
        },
        // Eager tasks (handed back with a completed workflow task) never overtake waiting reservations.
        tryReserveSlot() {
          if (m.closed) return null;
          const total = committed();
          const ok = m.held < m.guaranteed ? total <= capacity : waiters.length === 0 && total + 1 <= capacity;
          return ok ? issue(m) : null;
        },
        markSlotUsed(ctx) {
          const permit = ctx.permit as Permit;
          if (permit.used || permit.released || m.closed) return;
          permit.used = true;
          m.used += 1;
        },
        releaseSlot(ctx) {
          release(ctx.permit as Permit);
        },
      };
      return {
        supplier,
        held: () => m.held,
        close() {
          if (m.closed) return;
          m.closed = true;
          members.delete(m);
          for (const w of waiters.filter((x) => x.member === m)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.fail(new DOMException(`${name} has left the slot pool`, 'AbortError'));
          }
          pump();
        },
      };
    },
    stats: () => ({ capacity, held: sum((m) => m.held), used: sum((m) => m.used), waiting: waiters.length, members: members.size }),
  };
}
