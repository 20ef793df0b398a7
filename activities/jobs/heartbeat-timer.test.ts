import { MockActivityEnvironment } from '@temporalio/testing';
import type { Context } from '@temporalio/activity';
import { describe, expect, it, vi } from 'vitest';
import type { S3Context } from '../../shared/s3.ts';
import { createBookkeeping } from './bookkeeping.ts';
import { createExtractBatch } from './extract-batch.ts';
import type { JobConnectorFactory, JobConnectors } from './job-connectors.ts';
import type { JobStore } from './job-store.ts';
import { startHeartbeatTimer } from './heartbeat-timer.ts';
import { createLoadBatch } from './load-batch.ts';
import type { SchemaCache } from './schema-cache.ts';

const ref = { tenantId: '00000000-0000-4000-8000-000000000001', jobId: '00000000-0000-4000-8000-000000000002' };
const SLOW_MS = 600;
const EVERY_MS = 50;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// Stand-ins for what the activities touch; only the calls these phases make are implemented.
const store = {
  getBatch: async () => undefined,
  getJob: async () => ({ id: 'j1' }),
  recordExtracted: async (_: unknown, b: { count: number; sourceKey: string }) => ({ record_count: b.count, next_cursor: null, source_key: b.sourceKey }),
} as unknown as JobStore;
const s3 = { bucket: 'b', client: { send: async () => ({}) } } as unknown as S3Context;
const slowSource = {
  runtime: { readPage: async () => { await sleep(SLOW_MS); return { records: [], skipped: [], nextCursor: null }; } },
} as unknown as JobConnectors;
const connectors = { forJob: async () => slowSource } as unknown as JobConnectorFactory;

function recordBeats(env: MockActivityEnvironment): unknown[] {
  const beats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => beats.push(d));
  return beats;
}

describe('batch activities heartbeat from a timer while alive', () => {
  it('extractBatch heartbeats while one source page takes long', async () => {
    const env = new MockActivityEnvironment();
    const beats = recordBeats(env);
    const extract = createExtractBatch({ store, s3, connectors, heartbeatEveryMs: EVERY_MS });
    await env.run(extract, { ...ref, object: 'organizations', seq: 0, cursor: null, batchSize: 10 });
    expect(beats.length).toBeGreaterThanOrEqual(3);
  });

  it('prepareTarget heartbeats while the schema is prepared', async () => {
    const env = new MockActivityEnvironment();
    const beats = recordBeats(env);
    const schemas = { get: async () => { await sleep(SLOW_MS); return { created: [], warnings: [] }; } } as unknown as SchemaCache;
    const book = createBookkeeping({ store, connectors, schemas, heartbeatEveryMs: EVERY_MS });
    await env.run(book.prepareTarget, { ...ref, objects: ['organizations'], dryRun: true });
    expect(beats.length).toBeGreaterThanOrEqual(3);
  });

  it('loadBatch heartbeats the offset it resumes from during its slow first phase', async () => {
    const env = new MockActivityEnvironment({ heartbeatDetails: { offset: 7 } });
    const beats = recordBeats(env);
    const loadStore = {
      ...store,
      getBatch: async () => ({ source_key: 'k', record_count: 0, object: 'organizations' }),
      startAttempt: async () => { await sleep(SLOW_MS); },
      completeBatch: async () => ({ succeeded: 0, failed: 0, skipped: 0 }),
      setArchiveKey: async () => undefined,
    } as unknown as JobStore;
    const runtime = { resolveReferences: async () => new Map(), referencedKeys: () => [], context: () => ({}), recordId: () => 'x' };
    const loadConnectors = { forJob: async () => ({ runtime }) } as unknown as JobConnectorFactory;
    const schemas = { get: async () => ({ warnings: [], created: [] }) } as unknown as SchemaCache;
    const load = createLoadBatch({ store: loadStore, s3, connectors: loadConnectors, schemas, writeConcurrency: 1, flushEvery: 10, heartbeatEveryMs: EVERY_MS });
    await env.run(load, { ...ref, batchId: 'organizations-000000', mode: 'all' as const, dryRun: false }).catch(() => undefined);
    expect(beats.length).toBeGreaterThanOrEqual(3);
    // A beat without the offset would make a retry start the batch over.
    expect(beats.every((b) => (b as { offset?: number } | undefined)?.offset === 7)).toBe(true);
  });
});

describe('startHeartbeatTimer', () => {
  /** A Context with what the timer uses: heartbeat details in, heartbeats and warnings out. */
  function fakeContext(): { ctx: Context; beats: unknown[]; warnings: Array<Record<string, unknown>> } {
    const beats: unknown[] = [];
    const warnings: Array<Record<string, unknown>> = [];
    const ctx = {
      info: { heartbeatDetails: undefined },
      heartbeat: (d: unknown) => beats.push(d),
      log: { warn: (_message: string, meta: Record<string, unknown>) => warnings.push(meta) },
    } as unknown as Context;
    return { ctx, beats, warnings };
  }

  it('warns once per quiet stretch with the step it is in, and not while steps or progress move', () => {
    vi.useFakeTimers();
    try {
      const { ctx, beats, warnings } = fakeContext();
      const timer = startHeartbeatTimer(ctx, 1_000, 10_000);
      timer.phase('writing');
      for (let i = 0; i < 3; i += 1) {
        vi.advanceTimersByTime(6_000);
        timer.progress({ offset: i });
      }
      expect(warnings).toEqual([]);
      timer.phase('recording outcomes');
      vi.advanceTimersByTime(25_000);
      // Quiet from 10 s on: one warning at 10 s, the next 10 s later.
      expect(warnings).toEqual([
        { step: 'recording outcomes', quietMs: 10_000, progress: { offset: 2 } },
        { step: 'recording outcomes', quietMs: 20_000, progress: { offset: 2 } },
      ]);
      expect(beats.length).toBeGreaterThanOrEqual(40);
      timer.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
