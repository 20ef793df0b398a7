import { describe, expect, it } from 'vitest';
import { createProcessCapacity, workerSizing } from './process-capacity.ts';

const LIMITS = { maxNamespaces: 4, maxConcurrentActivities: 12, maxConcurrentWorkflowTasks: 20, maxCachedWorkflows: 40 };

describe('process capacity', () => {
  it("splits the process's sticky cache over the most Workers it may run, and polls start from one", () => {
    const sizing = workerSizing(LIMITS);
    expect(sizing.maxCachedWorkflowsPerWorker).toBe(10);
    expect(sizing.activityTaskPollerBehavior).toEqual({ type: 'autoscaling', minimum: 1, initial: 1, maximum: 6 });
    expect(sizing.workflowTaskPollerBehavior).toEqual({ type: 'autoscaling', minimum: 1, initial: 1, maximum: 8 });
    expect(workerSizing({ ...LIMITS, maxCachedWorkflows: 5 }).maxCachedWorkflowsPerWorker).toBe(2);
  });

  it('gives every Worker the same shared pools and refuses one past the namespace cap', () => {
    const capacity = createProcessCapacity(LIMITS);
    const shares = ['a', 'b', 'c', 'd'].map((n) => capacity.forWorker(n));
    expect(() => capacity.forWorker('e')).toThrow(/4 Workers/);
    const [first] = shares;
    expect(first?.options.tuner).toMatchObject({ activityTaskSlotSupplier: { type: 'custom' }, workflowTaskSlotSupplier: { type: 'custom' } });
    expect(capacity.stats()).toMatchObject({ workers: 4, activity: { capacity: 12, members: 4 }, workflowTask: { capacity: 20, members: 4 } });
    first?.release();
    first?.release();
    expect(capacity.stats().workers).toBe(3);
    expect(() => capacity.forWorker('e')).not.toThrow();
  });
});
