import { HeadBucketCommand } from '@aws-sdk/client-s3';
import type { Connection } from '@temporalio/client';
import type { Sql } from '../../../shared/db/client.ts';
import type { S3Context } from '../../../shared/s3.ts';

export interface CheckResult {
  status: 'up' | 'down';
  latencyMs: number;
  /** A short reason (error name or code), never a connection string. */
  error?: string;
}

export interface ReadinessDeps {
  sql: Sql;
  temporal: Connection;
  s3: S3Context;
  /** Per dependency; a hung dependency must not hang the probe. */
  timeoutMs?: number;
}

function reasonOf(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const { code, name } = err as { code?: unknown; name?: unknown };
    if (typeof code === 'string' || typeof code === 'number') return `${typeof name === 'string' ? name : 'Error'} (${code})`;
    if (typeof name === 'string') return name;
  }
  return 'Error';
}

async function timed(timeoutMs: number, probe: () => Promise<unknown>): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { name: 'Timeout' })), timeoutMs);
  });
  try {
    await Promise.race([probe(), timeout]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: reasonOf(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** Probes PostgreSQL, Temporal and S3 concurrently. */
export async function checkReadiness(deps: ReadinessDeps): Promise<Record<'postgres' | 'temporal' | 's3', CheckResult>> {
  const timeoutMs = deps.timeoutMs ?? 2_000;
  const [postgres, temporal, s3] = await Promise.all([
    timed(timeoutMs, () => deps.sql`select 1`.execute()),
    timed(timeoutMs, () => deps.temporal.withDeadline(Date.now() + timeoutMs, () => deps.temporal.workflowService.getSystemInfo({}))),
    timed(timeoutMs, () => deps.s3.client.send(new HeadBucketCommand({ Bucket: deps.s3.bucket }), { abortSignal: AbortSignal.timeout(timeoutMs) })),
  ]);
  return { postgres, temporal, s3 };
}
