import { describe, expect, it } from 'vitest';
import { parsePrometheusText, sumSamples } from '../test/helpers/prom-text.ts';
import { createWorkerMetrics } from './worker-metrics.ts';

describe('worker metrics', () => {
  it('exposes batch attempts, latency, retries, records and rate-limit waits as valid Prometheus text', async () => {
    const m = createWorkerMetrics();
    const labels = { tenant: '0d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11', object: 'persons', activity: 'load' as const };
    m.activities.batchAttempt(labels);
    m.activities.batchAttempt(labels);
    m.activities.batchFinished({ ...labels, outcome: 'ok' }, 0.3);
    m.activities.batchFinished({ ...labels, outcome: 'error' }, 12);
    m.activities.recordRetries({ tenant: '0d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11', object: 'persons' }, 3);
    m.activities.recordsWritten({ tenant: '0d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11', object: 'persons', status: 'succeeded' }, 40);
    m.budgets.onWait('attio:write', 40);
    m.budgets.onRateLimited('attio:write');

    const families = parsePrometheusText(await m.registry.metrics());
    expect(sumSamples(families, 'freight_batch_attempts_total', { object: 'persons' })).toBe(2);
    expect(sumSamples(families, 'freight_batch_duration_seconds_count', { outcome: 'error' })).toBe(1);
    expect(sumSamples(families, 'freight_batch_duration_seconds_bucket', { outcome: 'ok', le: '0.5' })).toBe(1);
    expect(sumSamples(families, 'freight_record_retries_total')).toBe(3);
    expect(sumSamples(families, 'freight_records_written_total', { status: 'succeeded' })).toBe(40);
    expect(sumSamples(families, 'freight_rate_limit_waits_total', { budget: 'attio:write' })).toBe(1);
    expect(sumSamples(families, 'freight_rate_limit_wait_seconds_sum')).toBeCloseTo(0.04);
    expect(sumSamples(families, 'freight_rate_limited_total')).toBe(1);
    // Process metrics come from collectDefaultMetrics on this registry, not a global one.
    expect(families.has('freight_worker_process_resident_memory_bytes')).toBe(true);
  });

  it('gives each call its own registry (no module-level singleton)', async () => {
    const a = createWorkerMetrics({ defaultMetrics: false });
    const b = createWorkerMetrics({ defaultMetrics: false });
    a.activities.batchAttempt({ tenant: 't', object: 'notes', activity: 'extract' });
    expect(sumSamples(parsePrometheusText(await b.registry.metrics()), 'freight_batch_attempts_total')).toBe(0);
  });
});

describe('the strict Prometheus text parser used by the tests', () => {
  const ok = '# HELP x_total a counter\n# TYPE x_total counter\nx_total{a="1",b="q\\"uote"} 3\n';
  it('accepts well-formed text and unescapes label values', () => {
    const family = parsePrometheusText(ok).get('x_total');
    expect(family?.samples[0]).toEqual({ name: 'x_total', labels: { a: '1', b: 'q"uote' }, value: 3 });
  });
  it.each([
    ['a sample without a family', 'y 1\n'],
    ['a bad value', '# TYPE x gauge\nx one\n'],
    ['a bad label name', '# TYPE x gauge\nx{1a="v"} 1\n'],
    ['an unquoted label value', '# TYPE x gauge\nx{a=v} 1\n'],
    ['a bad escape', '# TYPE x gauge\nx{a="\\t"} 1\n'],
    ['a second TYPE', '# TYPE x gauge\n# TYPE x gauge\n'],
    ['a family split in two blocks', '# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\n# HELP x again\n'],
    ['a negative counter', '# TYPE x counter\nx -1\n'],
    ['non-cumulative buckets', '# TYPE h histogram\nh_bucket{le="1"} 5\nh_bucket{le="+Inf"} 4\nh_count 4\nh_sum 1\n'],
    ['a histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 5\nh_count 5\nh_sum 1\n'],
  ])('rejects %s', (_what, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
