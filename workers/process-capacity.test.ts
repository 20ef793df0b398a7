import { describe, expect, it } from 'vitest';
import { createProcessCapacity, workerSizing } from './process-capacity.ts';

const LIMITS = { maxNamespaces: 4, maxConcurrentActivities: 16, maxConcurrentWorkflowTasks: 24, maxCachedWorkflows: 40 };

describe('process capacity', () => {
  it("splits the process's sticky cache over the most Workers it may run; polls autoscale from a floor of two", () => {
    const sizing = workerSizing(LIMITS);
    expect(sizing.maxCachedWorkflowsPerWorker).toBe(10);
    // 16 slots, 9 of them set aside for the 3 other Workers: at most 7 polls.
    expect(sizing.activityTaskPollerBehavior).toEqual({ type: 'autoscaling', minimum: 2, initial: 4, maximum: 7 });
    expect(sizing.workflowTaskPollerBehavior).toEqual({ type: 'autoscaling', minimum: 2, initial: 4, maximum: 8 });
    expect(workerSizing({ ...LIMITS, maxCachedWorkflows: 5 }).maxCachedWorkflowsPerWorker).toBe(2);
  });

  it('gives every Worker the same shared pools and refuses one past the namespace cap', () => {
    const capacity = createProcessCapacity(LIMITS);
    const shares = ['a', 'b', 'c', 'd'].map((n) => capacity.forWorker(n));
    expect(() => capacity.forWorker('e')).toThrow(/4 Workers/);
    const [first] = shares;
    expect(first?.options.tuner).toMatchObject({ activityTaskSlotSupplier: { type: 'custom' }, workflowTaskSlotSupplier: { type: 'custom' } });
    expect(capacity.stats()).toMatchObject({ workers: 4, activity: { capacity: 16, members: 4 }, workflowTask: { capacity: 24, members: 4 } });
    first?.release();
    first?.release();
    expect(capacity.stats().workers).toBe(3);
    expect(() => capacity.forWorker('e')).not.toThrow();
  });
});
