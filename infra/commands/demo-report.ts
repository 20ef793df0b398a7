import type { VerificationReport } from '../../activities/pairs/affinity-attio/verification/verify-migration.ts';
import { verificationSummary, type JobView } from './demo-format.ts';

/** The part of the Attio sandbox's `GET /__sandbox/stats` the demo reports. */
export interface AttioStats {
  requests: number;
  reads: number;
  writes: number;
  rateLimited: number;
  writesPerSecond: { peak: number; average: number };
  /** Exchanges held to Attio's published schemas (the demo's sandbox runs with --contract). */
  contract?: { enabled: boolean; checked?: number; violations?: number };
}

/**
 * Every call Freight made to the Affinity sandbox (what counts against the account's monthly quota):
 * `GET /__sandbox/requests` (total, per version, per endpoint) and the 429s from `/__sandbox/stats`.
 */
export interface AffinityStats {
  requests: number;
  v1: number;
  v2: number;
  byEndpoint: Record<string, number>;
  rateLimited: number;
  /** Exchanges held to Affinity's published docs (v1) and OpenAPI document (v2). */
  contract?: { enabled: boolean; checked?: number; violations?: number };
}

async function readControl<T>(sandboxUrl: string, route: string): Promise<T | undefined> {
  try {
    const res = await fetch(`${sandboxUrl}/__sandbox/${route}`, { signal: AbortSignal.timeout(5000) });
    return res.ok ? ((await res.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

export const readAttioStats = (attioUrl: string) => readControl<AttioStats>(attioUrl, 'stats');

export async function readAffinityStats(affinityUrl: string): Promise<AffinityStats | undefined> {
  const [counts, stats] = await Promise.all([
    readControl<{ total: number; v1: number; v2: number; byEndpoint: Record<string, number> }>(affinityUrl, 'requests'),
    readControl<{ rateLimited: number; contract?: AffinityStats['contract'] }>(affinityUrl, 'stats'),
  ]);
  if (!counts) return undefined;
  return {
    requests: counts.total, v1: counts.v1, v2: counts.v2, byEndpoint: counts.byEndpoint, rateLimited: stats?.rateLimited ?? 0,
    ...(stats?.contract ? { contract: stats.contract } : {}),
  };
}

/** `Affinity sandbox: 93 calls (v1 12, v2 81) for 5,500 records = 0.0169 calls per record, 0 answered 429` */
export function affinityStatsLine(stats: AffinityStats, records: number): string {
  const perRecord = records > 0 ? (stats.requests / records).toFixed(4) : '-';
  const n = (v: number): string => v.toLocaleString('en-US');
  const contract = stats.contract?.enabled ? `; ${n(stats.contract.checked ?? 0)} exchanges checked against Affinity's docs and spec, ${n(stats.contract.violations ?? 0)} outside them` : '';
  return `Affinity sandbox: ${n(stats.requests)} calls (v1 ${n(stats.v1)}, v2 ${n(stats.v2)}) for ${n(records)} records = ${perRecord} calls per record, ${n(stats.rateLimited)} answered 429${contract}`;
}

/** `Attio sandbox: 7,098 writes, 2,423 reads, 0 answered 429 (0.00 %), 72.9 writes/s over the job, peak 175` */
export function attioStatsLine(stats: AttioStats, jobSeconds: number): string {
  const n = (v: number): string => v.toLocaleString('en-US');
  const share = stats.requests > 0 ? (stats.rateLimited / stats.requests) * 100 : 0;
  const rate = jobSeconds > 0 ? (stats.writes / jobSeconds).toFixed(1) : '-';
  const contract = stats.contract?.enabled ? `; ${n(stats.contract.checked ?? 0)} exchanges checked against Attio's spec, ${n(stats.contract.violations ?? 0)} outside it` : '';
  return `Attio sandbox: ${n(stats.writes)} writes, ${n(stats.reads)} reads, ${n(stats.rateLimited)} answered 429 (${share.toFixed(2)} %), ${rate} writes/s over the job, peak ${stats.writesPerSecond.peak}${contract}`;
}

export interface DemoReportInput {
  outcome: { ok: boolean; reason: string | null };
  job: JobView;
  processed: number;
  expectedRecords: number;
  seconds: number;
  verification: { report: VerificationReport; seconds: number; calls?: { attio: number; affinity: number } } | undefined;
  sandbox: { size: number; seed: string; limits: 'real' | 'off' };
  attio: AttioStats | undefined;
  affinity: AffinityStats | undefined;
  baseUrl: string;
  totalSeconds: number;
}

/** The `--json` report: one object, printed as one line, last on stdout. */
export function buildDemoReport(input: DemoReportInput) {
  const { job, attio, affinity, seconds } = input;
  return {
    ok: input.outcome.ok,
    reason: input.outcome.reason,
    jobId: job.id,
    status: job.status,
    counts: job.counts ?? {},
    batches: job.batches ?? {},
    records: input.processed,
    expectedRecords: input.expectedRecords,
    seconds: Math.round(seconds * 10) / 10,
    recordsPerMinute: seconds > 0 ? Math.round((input.processed / seconds) * 60) : null,
    verification: input.verification ? verificationSummary(input.verification.report, input.verification.seconds, input.verification.calls) : null,
    sandbox: {
      ...input.sandbox,
      // Every call Freight made to Affinity during the demo (call plan, schema, reads), beside Attio's.
      affinity: affinity ? {
        requests: affinity.requests,
        v1: affinity.v1,
        v2: affinity.v2,
        byEndpoint: affinity.byEndpoint,
        rateLimited: affinity.rateLimited,
        callsPerRecord: input.processed > 0 ? Math.round((affinity.requests / input.processed) * 10_000) / 10_000 : null,
        contract: affinity.contract?.enabled ? { checked: affinity.contract.checked ?? 0, violations: affinity.contract.violations ?? 0 } : null,
      } : null,
      attio: attio ? {
        requests: attio.requests,
        writes: attio.writes,
        reads: attio.reads,
        rateLimited: attio.rateLimited,
        writesPerSecond: seconds > 0 ? Math.round((attio.writes / seconds) * 10) / 10 : null,
        peakWritesPerSecond: attio.writesPerSecond.peak,
        contract: attio.contract?.enabled ? { checked: attio.contract.checked ?? 0, violations: attio.contract.violations ?? 0 } : null,
      } : null,
    },
    urls: { api: input.baseUrl, docs: `${input.baseUrl}/docs`, temporalUi: job.temporalUiUrl ?? null },
    totalSeconds: Math.round(input.totalSeconds),
  };
}
