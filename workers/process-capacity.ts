import type { ActivitySlotInfo, WorkerOptions, WorkflowSlotInfo } from '@temporalio/worker';
import { MIN_POLLS_PER_QUEUE, SLOTS_HELD_BY_IDLE_WORKER } from '../shared/config.ts';
import { createSlotPool, type SlotPoolStats } from './slot-pool.ts';

/** The SDK's poller behaviour type (not re-exported by the package index in 1.24). */
type PollerBehavior = NonNullable<WorkerOptions['activityTaskPollerBehavior']>;

/** What one worker process may run in all, whatever number of tenant namespaces it serves. */
export interface ProcessLimits {
  maxNamespaces: number;
  maxConcurrentActivities: number;
  maxConcurrentWorkflowTasks: number;
  maxCachedWorkflows: number;
}

/** How each Worker is sized so that the process as a whole stays within its limits. */
export interface WorkerSizing {
  /** The process's sticky cache split evenly over the most Workers it may run. */
  maxCachedWorkflowsPerWorker: number;
  workflowTaskPollerBehavior: PollerBehavior;
  activityTaskPollerBehavior: PollerBehavior;
}

/** Most polls one Worker keeps open on one queue when its backlog grows. */
const MAX_POLLERS = 8;
/** Polls a new Worker opens on each queue: one per partition of a task queue by default. */
const INITIAL_POLLS = 4;

export function workerSizing(limits: ProcessLimits): WorkerSizing {
  const cache = Math.max(2, Math.floor(limits.maxCachedWorkflows / limits.maxNamespaces));
  // Every open poll holds a slot of the shared budget, so a Worker with no work keeps only the minimum
  // open (the SDK's default starts with five and keeps ten); it starts with a few more, to find what
  // queued in the task queue's partitions while nobody polled, and grows when the server reports a backlog.
  const autoscaling = (max: number): PollerBehavior => {
    const maximum = Math.max(MIN_POLLS_PER_QUEUE, Math.min(MAX_POLLERS, max));
    return { type: 'autoscaling', minimum: MIN_POLLS_PER_QUEUE, initial: Math.min(INITIAL_POLLS, maximum), maximum };
  };
  return {
    maxCachedWorkflowsPerWorker: cache,
    workflowTaskPollerBehavior: autoscaling(cache),
    activityTaskPollerBehavior: autoscaling(limits.maxConcurrentActivities - (limits.maxNamespaces - 1) * SLOTS_HELD_BY_IDLE_WORKER.activity),
  };
}

export interface WorkerCapacity {
  /** Spread into `Worker.create`: the shared tuner, the poller behaviours and the Worker's cache. */
  options: Pick<WorkerOptions, 'tuner' | 'maxCachedWorkflows' | 'workflowTaskPollerBehavior' | 'activityTaskPollerBehavior'>;
  /** Once the Worker has stopped: its share goes back to the process. */
  release(): void;
}

export interface ProcessCapacity {
  limits: ProcessLimits;
  sizing: WorkerSizing;
  /** The share of one Worker; throws when the process already runs `maxNamespaces` of them. */
  forWorker(namespace: string): WorkerCapacity;
  stats(): { workers: number; activity: SlotPoolStats; workflowTask: SlotPoolStats };
}

/**
 * The process's budgets, shared by all of its Workers through one slot pool per task type: at most
 * `maxConcurrentActivities` activities and `maxConcurrentWorkflowTasks` workflow tasks run (or wait
 * in a poll) at once across every tenant namespace, and the sticky caches add up to at most
 * `maxCachedWorkflows`. Local activities (unused by Freight) and Nexus get a token fixed size.
 */
export function createProcessCapacity(limits: ProcessLimits): ProcessCapacity {
  const sizing = workerSizing(limits);
  const activities = createSlotPool({ capacity: limits.maxConcurrentActivities });
  const workflowTasks = createSlotPool({ capacity: limits.maxConcurrentWorkflowTasks });
  let workers = 0;
  return {
    limits,
    sizing,
    forWorker(namespace) {
      if (workers >= limits.maxNamespaces) throw new Error(`the process already runs its ${limits.maxNamespaces} Workers; ${namespace} has to wait`);
      const activity = activities.member<ActivitySlotInfo>(namespace, SLOTS_HELD_BY_IDLE_WORKER.activity);
      const workflow = workflowTasks.member<WorkflowSlotInfo>(namespace, SLOTS_HELD_BY_IDLE_WORKER.workflowTask);
      workers += 1;
      let released = false;
      return {
        options: {
          tuner: {
            activityTaskSlotSupplier: activity.supplier,
            workflowTaskSlotSupplier: workflow.supplier,
            localActivityTaskSlotSupplier: { type: 'fixed-size', numSlots: 2 },
            nexusTaskSlotSupplier: { type: 'fixed-size', numSlots: 1 },
          },
          maxCachedWorkflows: sizing.maxCachedWorkflowsPerWorker,
          workflowTaskPollerBehavior: sizing.workflowTaskPollerBehavior,
          activityTaskPollerBehavior: sizing.activityTaskPollerBehavior,
        },
        release() {
          if (released) return;
          released = true;
          workers -= 1;
          activity.close();
          workflow.close();
        },
      };
    },
    stats: () => ({ workers, activity: activities.stats(), workflowTask: workflowTasks.stats() }),
  };
}
