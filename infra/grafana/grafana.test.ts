import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApiMetrics } from '../../api/metrics/api-metrics.ts';
import type { Sql } from '../../shared/db/client.ts';
import { registerCapacityMetrics } from '../../workers/capacity-metrics.ts';
import { createProcessCapacity } from '../../workers/process-capacity.ts';
import { createWorkerMetrics } from '../../workers/worker-metrics.ts';
import { REPO_ROOT } from '../dev-stack/paths.ts';

// The dashboard and the alert rules must query metrics Freight actually exports: a renamed metric
// would otherwise leave a silent empty panel or an alert that can never fire.
type Yaml = { parse: (src: string) => unknown };
const yamlModule = 'yaml'; // arrives transitively (see infra/commands/compose.test.ts)
const yaml = (await import(yamlModule).catch(() => undefined)) as Yaml | undefined;

const read = (file: string): string => readFileSync(path.join(REPO_ROOT, 'infra', 'grafana', file), 'utf8');

// Temporal SDK exporter names (prefix temporal_, useSecondsForDurations), checked against a live
// worker in test/integration/ops-metrics.test.ts.
// (No temporal_worker_task_slots_available: the SDK cannot know it for the workers' custom slot supplier.)
const TEMPORAL = ['temporal_activity_schedule_to_start_latency', 'temporal_workflow_task_schedule_to_start_latency', 'temporal_worker_task_slots_used'];

async function exported(): Promise<Set<string>> {
  // The SQL collectors only query when scraped; listing the families does not touch the database.
  const api = createApiMetrics({ sql: {} as Sql, defaultMetrics: false });
  const worker = createWorkerMetrics();
  const capacity = createProcessCapacity({ maxNamespaces: 1, maxConcurrentActivities: 2, maxConcurrentWorkflowTasks: 4, maxCachedWorkflows: 2 });
  registerCapacityMetrics(worker.registry, { capacity, coordinator: () => ({ cap: 1, served: 0, unserved: 0 }) });
  const names = [...api.registry.getMetricsAsArray(), ...worker.registry.getMetricsAsArray()].map((m) => m.name);
  return new Set([...names, ...TEMPORAL, 'up']);
}

function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b(freight_[a-z0-9_]+|temporal_[a-z0-9_]+|up)\b/g)].map((m) => (m[1] ?? '').replace(/_(bucket|sum|count)$/, ''));
}

describe('infra/grafana', () => {
  it('the dashboard is valid JSON and every panel queries exported metrics', async () => {
    const known = await exported();
    const dashboard = JSON.parse(read('freight-dashboard.json')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(10);
    for (const panel of dashboard.panels) {
      for (const { expr } of panel.targets) {
        const names = metricNames(expr);
        expect(names.length, `${panel.title}: ${expr}`).toBeGreaterThan(0);
        for (const name of names) expect(known.has(name), `${panel.title}: unknown metric ${name}`).toBe(true);
      }
    }
  });

  it.skipIf(!yaml)('the alert rules parse and query exported metrics', async () => {
    const known = await exported();
    const rules = (yaml?.parse(read('alerts.yml')) as { groups: Array<{ rules: Array<{ alert: string; expr: string; for?: string }> }> }).groups.flatMap((g) => g.rules);
    const alerts = rules.map((r) => r.alert);
    for (const wanted of ['FreightRecordRetryRateHigh', 'FreightWorkerDown', 'FreightApi5xx', 'FreightActivityScheduleToStartHigh']) expect(alerts).toContain(wanted);
    for (const rule of rules) {
      for (const name of metricNames(rule.expr)) expect(known.has(name), `${rule.alert}: unknown metric ${name}`).toBe(true);
    }
  });
});
