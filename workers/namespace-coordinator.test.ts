import { describe, expect, it } from 'vitest';
import { createLogger } from '../shared/logger.ts';
import type { DemandedNamespace } from './lease-plan.ts';
import { createNamespaceCoordinator } from './namespace-coordinator.ts';
import type { NamespaceLeases } from './namespace-leases.ts';
import type { NamespaceManager, WorkerView } from './namespace-manager.ts';

const logger = createLogger({ level: 'silent', name: 'test' });

/** The lease table in memory (one task queue), with a clock the test moves. */
function memoryTable() {
  const rows = new Map<string, { worker: string; expires: number; }>();
  const clock = { now: 0 };
  const live = (n: string): boolean => (rows.get(n)?.expires ?? -1) > clock.now;
  const leasesOf = (worker: string, ttl = 30): NamespaceLeases => ({
    async round({ held, candidates, cap, demanded }) {
      const kept = held.filter((n) => rows.get(n)?.worker === worker);
      for (const n of kept) rows.set(n, { worker, expires: clock.now + ttl });
      const acquired = [];
      for (const c of [...candidates].sort((a, b) => a.tier - b.tier || (rows.get(a.namespace)?.expires ?? -1) - (rows.get(b.namespace)?.expires ?? -1))) {
        if (kept.length + acquired.length >= cap) break;
        if (live(c.namespace)) continue;
        acquired.push({ namespace: c.namespace, previous: rows.get(c.namespace)?.worker ?? null });
        rows.set(c.namespace, { worker, expires: clock.now + ttl });
      }
      return { kept, acquired, unserved: demanded.filter((n) => !live(n)) };
    },
    async release(namespaces) {
      for (const n of namespaces) if (rows.get(n)?.worker === worker) rows.set(n, { worker, expires: clock.now });
    },
  });
  return { rows, clock, leasesOf };
}

/** A manager that records what it was told; `views` decides what stopWhere sees. */
function fakeManager(options: { failStart?: Set<string> } = {}) {
  const running = new Set<string>();
  const views = new Map<string, Partial<WorkerView>>();
  const manager: NamespaceManager = {
    async ensure(n) {
      if (options.failStart?.has(n)) throw new Error('namespace not found');
      running.add(n);
    },
    async stop(n) { running.delete(n); },
    idle: (pick) => [...running].filter((n) => pick({ namespace: n, sinceDemandMs: 0, quietMs: 0, worked: true, ageMs: 0, ...views.get(n) })),
    running: () => [...running],
    async shutdown() { running.clear(); },
  };
  return { manager, running, views };
}

const demandOf = (...names: string[]): DemandedNamespace[] => names.map((namespace) => ({ namespace, active: true }));
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

function coordinator(table: ReturnType<typeof memoryTable>, id: string, cap: number, manager = fakeManager()) {
  const c = createNamespaceCoordinator({
    manager: manager.manager, leases: table.leasesOf(id), workerId: id, cap, idleStopMs: 300_000, yieldAfterMs: 15_000, logger,
  });
  return { c, m: manager };
}

describe('namespace coordinator', () => {
  it('serves at most its cap; a second process takes the rest', async () => {
    const table = memoryTable();
    const a = coordinator(table, 'A', 2);
    const b = coordinator(table, 'B', 2);
    const demand = demandOf('n1', 'n2', 'n3', 'n4', 'n5');
    await a.c.sync(demand);
    await b.c.sync(demand);
    await settle();
    expect([...a.m.running].sort()).toEqual(['n1', 'n2']);
    expect([...b.m.running].sort()).toEqual(['n3', 'n4']);
    expect(a.c.status()).toEqual({ cap: 2, served: 2, unserved: 3 });
    expect(b.c.status()).toEqual({ cap: 2, served: 2, unserved: 1 });
  });

  it("takes over a dead process's namespaces once its leases expire", async () => {
    const table = memoryTable();
    const a = coordinator(table, 'A', 2);
    const b = coordinator(table, 'B', 2);
    await a.c.sync(demandOf('n1', 'n2'));
    await b.c.sync(demandOf('n1', 'n2'));
    expect(b.c.status().served).toBe(0);
    // A stops renewing (killed); B finds the leases live until they expire.
    table.clock.now = 29;
    await b.c.sync(demandOf('n1', 'n2'));
    expect(b.c.status().served).toBe(0);
    table.clock.now = 31;
    await b.c.sync(demandOf('n1', 'n2'));
    await settle();
    expect([...b.m.running].sort()).toEqual(['n1', 'n2']);
  });

  it('stops the Worker of a lease another process took over', async () => {
    const table = memoryTable();
    const a = coordinator(table, 'A', 2);
    await a.c.sync(demandOf('n1'));
    await settle();
    table.rows.set('n1', { worker: 'B', expires: 100 });
    await a.c.sync(demandOf('n1'));
    expect(a.m.running.has('n1')).toBe(false);
    expect(a.c.status().served).toBe(0);
  });

  it('under pressure, stops quiet Workers and undemanded ones in the background, releases their leases and wakes the loop for the waiting namespace', async () => {
    const table = memoryTable();
    const a = coordinator(table, 'A', 2);
    await a.c.sync(demandOf('n1', 'n2'));
    await settle();
    // n3 now waits; n1's job only sits on a timer (no activity for 20 s), n2 is busy.
    a.m.views.set('n1', { quietMs: 20_000 });
    let woken = 0;
    await a.c.sync(demandOf('n1', 'n2', 'n3'), () => { woken += 1; });
    await settle();
    expect([...a.m.running]).toEqual(['n2']);
    expect(table.rows.get('n1')).toEqual({ worker: 'A', expires: table.clock.now });
    expect(woken).toBe(1);
    await a.c.sync(demandOf('n1', 'n2', 'n3'));
    await settle();
    // n1 was served a moment ago, n3 never: n3 gets the room.
    expect([...a.m.running].sort()).toEqual(['n2', 'n3']);
    expect(a.c.status()).toEqual({ cap: 2, served: 2, unserved: 1 });
  });

  it('without pressure, keeps a quiet Worker until its namespace has not been asked for during the idle time', async () => {
    const table = memoryTable();
    const a = coordinator(table, 'A', 2);
    await a.c.sync(demandOf('n1'));
    await settle();
    a.m.views.set('n1', { quietMs: 60_000, sinceDemandMs: 60_000 });
    await a.c.sync([]);
    expect(a.m.running.has('n1')).toBe(true);
    a.m.views.set('n1', { sinceDemandMs: 300_000 });
    await a.c.sync([]);
    expect(a.m.running.has('n1')).toBe(false);
  });

  it('puts a namespace the API asked for ahead of the others', async () => {
    const table = memoryTable();
    const a = coordinator(table, 'A', 1);
    a.c.claim('n3');
    await a.c.sync(demandOf('n1', 'n2', 'n3'));
    await settle();
    expect([...a.m.running]).toEqual(['n3']);
  });

  it('gives up the lease of a namespace whose Worker cannot start', async () => {
    const table = memoryTable();
    const a = coordinator(table, 'A', 2, fakeManager({ failStart: new Set(['gone']) }));
    await a.c.sync(demandOf('gone', 'n1'));
    await settle();
    expect([...a.m.running]).toEqual(['n1']);
    expect(a.c.status().served).toBe(1);
    expect(table.rows.get('gone')?.expires).toBe(table.clock.now);
  });

  it('releases every lease at shutdown', async () => {
    const table = memoryTable();
    const a = coordinator(table, 'A', 2);
    await a.c.sync(demandOf('n1', 'n2'));
    await a.c.releaseAll();
    expect([...table.rows.values()].every((r) => r.expires <= table.clock.now)).toBe(true);
  });
});
