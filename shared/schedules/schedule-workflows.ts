import { Client, NamespaceNotFoundError, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Connection } from '@temporalio/client';
import { DELTA_SCHEDULE_TICK_WORKFLOW, deltaScheduleId, type DeltaScheduleTickInput } from '../../workflows/delta-schedule/definitions.ts';

/** The Temporal schedule's own state, as `temporal schedule describe` shows it. */
export interface TemporalScheduleState {
  paused: boolean;
  note: string | null;
  nextActionTimes: string[];
  /** Oldest first, as Temporal keeps them (its last few). */
  recentActions: { scheduledAt: string; takenAt: string; workflowId: string }[];
  runningActions: string[];
  actionsTaken: number;
  actionsSkippedOverlap: number;
}

export interface DeltaScheduleSpec {
  namespace: string;
  scheduleId: string;
  everySeconds: number;
  endAt: Date | null;
  paused: boolean;
  input: DeltaScheduleTickInput;
}

/** What the schedule service needs from Temporal; tests substitute a failing one to simulate an outage. */
export interface DeltaScheduleClient {
  /** Creates the Temporal schedule; one already there (a repeated create) is not an error. */
  create(spec: DeltaScheduleSpec): Promise<'created' | 'exists'>;
  /** undefined when Temporal has no such schedule (deleted behind Freight's back). */
  describe(namespace: string, scheduleId: string): Promise<TemporalScheduleState | undefined>;
  /** Throws ScheduleNotFoundError when Temporal has no such schedule. */
  pause(namespace: string, scheduleId: string, note: string): Promise<void>;
  unpause(namespace: string, scheduleId: string, note: string): Promise<void>;
  /** A schedule already gone is not an error. */
  remove(namespace: string, scheduleId: string): Promise<void>;
}

export interface DeltaScheduleClientOptions {
  connection: Connection;
  taskQueue: string;
  /** As for job starts: a new tenant's namespace may be unknown to Temporal's history service for a few seconds. */
  namespaceSettleMs?: number;
}

const iso = (d: Date) => d.toISOString();

/** Temporal Schedules of delta passes, one client per tenant namespace over one connection. */
export function createDeltaScheduleClient(options: DeltaScheduleClientOptions): DeltaScheduleClient {
  const clients = new Map<string, Client>();
  const clientFor = (namespace: string): Client => {
    let client = clients.get(namespace);
    if (!client) {
      client = new Client({ connection: options.connection, namespace });
      clients.set(namespace, client);
    }
    return client;
  };
  const handle = (namespace: string, scheduleId: string) => clientFor(namespace).schedule.getHandle(deltaScheduleId(scheduleId));

  async function createOnce(spec: DeltaScheduleSpec): Promise<'created' | 'exists'> {
    try {
      await clientFor(spec.namespace).schedule.create({
        scheduleId: deltaScheduleId(spec.scheduleId),
        spec: { intervals: [{ every: spec.everySeconds * 1000 }], ...(spec.endAt ? { endAt: spec.endAt } : {}) },
        action: {
          type: 'startWorkflow', workflowType: DELTA_SCHEDULE_TICK_WORKFLOW, taskQueue: options.taskQueue,
          workflowId: deltaScheduleId(spec.scheduleId), args: [spec.input],
        },
        // No overlap: a tick still running (its job create) skips the next; the tick itself skips while
        // the previous delta job runs. A tick missed while Temporal was down is not made up later
        // (the next one moves everything changed meanwhile anyway).
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
        state: { paused: spec.paused, note: 'delta schedule created by Freight' },
      });
      return 'created';
    } catch (err) {
      if (err instanceof ScheduleAlreadyRunning) return 'exists';
      throw err;
    }
  }

  return {
    async create(spec) {
      const settleBy = Date.now() + (options.namespaceSettleMs ?? 20_000);
      for (;;) {
        try {
          return await createOnce(spec);
        } catch (err) {
          if (!(err instanceof NamespaceNotFoundError) || Date.now() > settleBy) throw err;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    },

    async describe(namespace, scheduleId) {
      try {
        const d = await handle(namespace, scheduleId).describe();
        return {
          paused: d.state.paused,
          note: d.state.note ?? null,
          nextActionTimes: d.info.nextActionTimes.map(iso),
          recentActions: d.info.recentActions.map((a) => ({ scheduledAt: iso(a.scheduledAt), takenAt: iso(a.takenAt), workflowId: a.action.workflow.workflowId })),
          runningActions: d.info.runningActions.map((a) => a.workflow.workflowId),
          actionsTaken: d.info.numActionsTaken,
          actionsSkippedOverlap: d.info.numActionsSkippedOverlap,
        };
      } catch (err) {
        if (err instanceof ScheduleNotFoundError) return undefined;
        throw err;
      }
    },

    async pause(namespace, scheduleId, note) {
      await handle(namespace, scheduleId).pause(note);
    },

    async unpause(namespace, scheduleId, note) {
      await handle(namespace, scheduleId).unpause(note);
    },

    async remove(namespace, scheduleId) {
      try {
        await handle(namespace, scheduleId).delete();
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      }
    },
  };
}
