/**
 * bench/results.json: the brief's metric keys at the top level, the machine, and per-scenario
 * details. Scenarios not run this time keep their previous values (merge); `measured_at` says when
 * each key was last measured.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../infra/dev-stack/paths.ts';
import type { MetricKey, ScenarioResult } from '../scenarios/types.ts';

export const RESULTS_FILE = path.join(REPO_ROOT, 'bench', 'results.json');

export const METRIC_KEYS: readonly MetricKey[] = [
  'throughput_records_per_min', 'plain_loop_records_per_min', 'ratio_vs_plain_loop',
  'ratelimited_pct_of_limit', 'ratelimited_429_ratio',
  'workspace_peak_writes_per_sec', 'workspace_peak_write_requests_per_sec', 'workspace_pct_of_limit', 'workspace_429_ratio',
  'concurrent_jobs_completed', 'concurrent_jobs_total', 'api_p50_ms', 'api_p99_ms',
  'retry_latency_p50_ms', 'retry_latency_p99_ms',
  'million_job_completed', 'million_job_peak_worker_rss_mb', 'max_history_events_per_run',
  'namespaces_jobs_completed', 'namespaces_jobs_total', 'namespaces_worker_threads_peak', 'namespaces_worker_rss_peak_mb',
  'ps_eta_comment_phase_eta_s', 'ps_eta_comment_phase_measured_s', 'ps_eta_measured_over_eta', 'ps_eta_429_ratio',
];

/** The brief's bars, as text for the table. */
export const BARS: Partial<Record<MetricKey, string>> = {
  throughput_records_per_min: '≥ 100,000', ratio_vs_plain_loop: '≥ 0.8', ratelimited_pct_of_limit: '≥ 95', ratelimited_429_ratio: '< 0.01',
  workspace_peak_writes_per_sec: '≤ 25', workspace_peak_write_requests_per_sec: '25 + 429s', workspace_429_ratio: '< 0.01',
  concurrent_jobs_completed: '= total', api_p99_ms: '< 100', retry_latency_p99_ms: '< 1000', million_job_completed: 'true',
  million_job_peak_worker_rss_mb: 'bounded', max_history_events_per_run: 'bounded',
  namespaces_jobs_completed: '= total', namespaces_worker_threads_peak: 'bounded by the cap', namespaces_worker_rss_peak_mb: 'bounded by the cap',
  ps_eta_measured_over_eta: '0.8 – 1.2', ps_eta_429_ratio: '< 0.01',
};

type Results = Record<string, unknown> & { measured_at?: Record<string, string>; scenarios?: Record<string, unknown> };

export function machineDescription(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cores: cpus.length, cpu_model: cpus[0]?.model ?? 'unknown', memory_gb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()}`, node: process.version, date: new Date().toISOString(),
    loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function readResults(): Results {
  if (!existsSync(RESULTS_FILE)) return {};
  try {
    return JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as Results;
  } catch {
    return {};
  }
}

/** Merges one scenario's result into results.json (re-read first: a long scenario may run beside another). */
export function mergeResult(scenario: string, result: ScenarioResult, options: Record<string, unknown>): void {
  const prev = readResults();
  const at = new Date().toISOString();
  const next: Results = {};
  for (const key of METRIC_KEYS) next[key] = key in result.metrics ? result.metrics[key] : (prev[key] ?? null);
  const measured = { ...(prev.measured_at ?? {}) };
  for (const key of Object.keys(result.metrics)) measured[key] = at;
  next.machine = machineDescription();
  next.measured_at = measured;
  next.scenarios = { ...(prev.scenarios ?? {}), [scenario]: { at, machine: next.machine, options, ...result.details } };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(next, null, 2)}\n`);
}

/** The table: every key, its value, the bar, and whether this run measured it. */
export function formatTable(measuredNow: ReadonlySet<string>): string {
  const r = readResults();
  const rows = METRIC_KEYS.map((key) => [key, String(r[key] ?? '—'), BARS[key] ?? '', measuredNow.has(key) ? 'now' : (r.measured_at?.[key]?.slice(0, 16) ?? 'never')]);
  const head = ['metric', 'value', 'bar', 'measured'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  const m = r.machine as Record<string, unknown> | undefined;
  return [
    m ? `machine: ${m.cores} cores × ${m.cpu_model}, ${m.memory_gb} GB, ${m.platform}, Node ${m.node}` : '',
    line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line),
  ].join('\n');
}
