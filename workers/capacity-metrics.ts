import { Gauge, type Registry } from 'prom-client';
import type { CoordinatorStatus } from './namespace-coordinator.ts';
import type { ProcessCapacity } from './process-capacity.ts';

/**
 * Gauges of the process's capacity, read at scrape time: namespaces served against the cap and those
 * no process serves (they wait), and the shared slot budgets (held by polls or tasks, used by tasks,
 * reservations waiting for a slot).
 */
export function registerCapacityMetrics(registry: Registry, sources: { capacity: ProcessCapacity; coordinator: () => CoordinatorStatus }): void {
  const registers = [registry];
  new Gauge({
    name: 'freight_worker_namespaces', help: 'Tenant namespaces: served by this process, its cap, and demanded ones no process serves (waiting)',
    labelNames: ['state'] as const, registers,
    collect() {
      const status = sources.coordinator();
      this.set({ state: 'cap' }, sources.capacity.limits.maxNamespaces);
      this.set({ state: 'served' }, status.served);
      this.set({ state: 'waiting' }, status.unserved);
    },
  });
  new Gauge({
    name: 'freight_worker_task_slots', help: 'Process-wide task slots shared by all Workers, by task type and state',
    labelNames: ['type', 'state'] as const, registers,
    collect() {
      const stats = sources.capacity.stats();
      for (const [type, pool] of [['activity', stats.activity], ['workflow', stats.workflowTask]] as const) {
        this.set({ type, state: 'capacity' }, pool.capacity);
        this.set({ type, state: 'held' }, pool.held);
        this.set({ type, state: 'used' }, pool.used);
        this.set({ type, state: 'waiting' }, pool.waiting);
      }
    },
  });
}
