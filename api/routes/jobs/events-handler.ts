import type { RouteHandler } from '@hono/zod-openapi';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { Sql } from '../../../shared/db/client.ts';
import { withTenant } from '../../../shared/db/scope.ts';
import { NotFoundError } from '../../../shared/errors.ts';
import type { JobEventListener } from '../../../shared/job-events/job-event-listener.ts';
import { lastEventId, readEventsAfter, readProgress, TERMINAL_JOB_STATUSES, type JobEvent } from '../../../shared/job-events/job-events.ts';
import type { Logger } from '../../../shared/logger.ts';
import { ownTenantOf, UUID_PATTERN } from '../../../shared/tenancy/tenant-model.ts';
import { actorOf } from '../../actor.ts';
import type { AppEnv } from '../../types.ts';
import type { jobEventsRoute } from './events-routes.ts';

export interface JobEventsDeps {
  sql: Sql;
  logger: Logger;
  /** The process's shared LISTEN fan-out; without one, each stream polls (about once a second). */
  listener?: JobEventListener | undefined;
  heartbeatMs?: number;
}

const PAGE = 500;

/** `Last-Event-ID` header first (what EventSource sends on reconnect), then `?lastEventId=`. */
function resumePoint(header: string | undefined, query: string | undefined): number | undefined {
  const raw = header?.trim() || query;
  return raw && /^\d{1,18}$/.test(raw) ? Number(raw) : undefined;
}

export function createJobEventsHandler(deps: JobEventsDeps): RouteHandler<typeof jobEventsRoute, AppEnv> {
  // Streams wait on the shared listener; lacking one (a bare createApp), a poll-only stand-in.
  const polling: JobEventListener = {
    listening: false,
    wait: (_jobId, signal) => new Promise((resolve) => {
      // The abort listener is removed when the timer fires: a long stream waits thousands of times.
      const onAbort = (): void => { clearTimeout(timer); resolve(); };
      const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, 1_000);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
    close: async () => undefined,
  };
  const listener = deps.listener ?? polling;
  const heartbeatMs = deps.heartbeatMs ?? 15_000;

  return async (c) => {
    const { jobId } = c.req.valid('param');
    const tenantId = ownTenantOf(actorOf(c).principal);
    if (!UUID_PATTERN.test(jobId)) throw new NotFoundError('Job');
    const resumeAfter = resumePoint(c.req.header('last-event-id'), c.req.valid('query').lastEventId);
    const snapshot = await withTenant(deps.sql, tenantId, async (tx) => {
      const [job] = await tx<{ status: string }[]>`select status from freight.jobs where id = ${jobId}`;
      if (!job) return undefined;
      return { status: job.status, progress: await readProgress(tx, jobId), lastId: await lastEventId(tx, jobId) };
    });
    if (!snapshot) throw new NotFoundError('Job');
    const log = c.get('log');

    return streamSSE(c, async (stream: SSEStreamingApi) => {
      const aborted = new AbortController();
      stream.onAbort(() => aborted.abort());
      const beat = setInterval(() => void stream.write(': heartbeat\n\n'), heartbeatMs);
      try {
        // A fresh client starts at the snapshot (its id moves the client's cursor there); a resuming
        // one gets the snapshot without an id, so its cursor stays put until the missed events arrive.
        let cursor = resumeAfter ?? snapshot.lastId;
        const snapshotId = resumeAfter === undefined ? String(snapshot.lastId) : undefined;
        await stream.writeSSE({ event: 'progress', data: JSON.stringify(snapshot.progress), ...(snapshotId ? { id: snapshotId } : {}) });
        await stream.writeSSE({ event: 'status', data: JSON.stringify({ status: snapshot.status }), ...(snapshotId ? { id: snapshotId } : {}) });
        while (!aborted.signal.aborted) {
          const after = cursor;
          // Status first, then events (separate statements): a terminal status read here was
          // committed with its final events, which the second read therefore sees.
          const { status, events } = await withTenant(deps.sql, tenantId, async (tx) => {
            const [job] = await tx<{ status: string }[]>`select status from freight.jobs where id = ${jobId}`;
            return { status: job?.status ?? 'cancelled', events: await readEventsAfter(tx, jobId, after, PAGE) };
          });
          for (const e of events) {
            if (aborted.signal.aborted) return;
            await writeEvent(stream, e);
            cursor = e.id;
          }
          if (events.length === PAGE) continue;
          if (TERMINAL_JOB_STATUSES.includes(status)) return;
          await listener.wait(jobId, aborted.signal);
        }
      } catch (err) {
        log.error({ err, jobId }, 'job event stream failed');
        await stream.writeSSE({ event: 'error', data: JSON.stringify({ code: 'internal_error', message: 'event stream failed; reconnect' }) });
      } finally {
        clearInterval(beat);
      }
    });
  };
}

function writeEvent(stream: SSEStreamingApi, e: JobEvent): Promise<void> {
  return stream.writeSSE({ id: String(e.id), event: e.type, data: JSON.stringify(e.data) });
}

