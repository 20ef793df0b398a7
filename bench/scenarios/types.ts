/** Options every scenario receives (from the bench command line), and what it hands back. */
export interface ScenarioOptions {
  /** Account size (records of the largest kind); each scenario has its own default. */
  size: number | undefined;
  seed: string;
  batchSize: number;
  /** Batches in flight per job. */
  concurrency: number;
  plainConcurrency: number;
  timeoutS: number;
  cpuProf: boolean;
  log: (message: string) => void;
}

export type MetricKey =
  | 'throughput_records_per_min' | 'plain_loop_records_per_min' | 'ratio_vs_plain_loop'
  | 'ratelimited_pct_of_limit' | 'ratelimited_429_ratio'
  | 'workspace_peak_writes_per_sec' | 'workspace_peak_write_requests_per_sec' | 'workspace_pct_of_limit' | 'workspace_429_ratio'
  | 'concurrent_jobs_completed' | 'concurrent_jobs_total' | 'api_p50_ms' | 'api_p99_ms'
  | 'retry_latency_p50_ms' | 'retry_latency_p99_ms'
  | 'million_job_completed' | 'million_job_peak_worker_rss_mb' | 'max_history_events_per_run'
  | 'namespaces_jobs_completed' | 'namespaces_jobs_total' | 'namespaces_worker_threads_peak' | 'namespaces_worker_rss_peak_mb'
  | 'ps_eta_comment_phase_eta_s' | 'ps_eta_comment_phase_measured_s' | 'ps_eta_measured_over_eta' | 'ps_eta_429_ratio'
  | 'plan_counts_equal' | 'plan_affinity_calls_max_error' | 'plan_attio_calls_max_error'
  | 'plan_eta_s' | 'plan_measured_s' | 'plan_measured_over_eta';

export interface ScenarioResult {
  metrics: Partial<Record<MetricKey, number | boolean | null>>;
  /** Anything that explains the numbers (sizes, seconds, CPU); stored under `scenarios.<name>`. */
  details: Record<string, unknown>;
}
