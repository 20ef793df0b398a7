import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { DEFAULT_DB_TIMEOUTS } from './db/timeouts.ts';

const BASE = { DATABASE_URL: 'postgres://app@127.0.0.1:1/none' };

describe('loadConfig: database backstops and bounded worker shutdown', () => {
  it('gives every connection the default timeouts, and a force time 10 s past the grace period', () => {
    const config = loadConfig(BASE);
    expect(config.db.timeouts).toEqual(DEFAULT_DB_TIMEOUTS);
    expect(config.worker).toMatchObject({ shutdownGraceMs: 10_000, shutdownForceMs: 20_000 });
  });

  it('reads the timeouts from the environment; 0 turns one off', () => {
    const config = loadConfig({
      ...BASE, FREIGHT_DB_STATEMENT_TIMEOUT_MS: '0', FREIGHT_DB_IDLE_IN_TX_TIMEOUT_MS: '5000', FREIGHT_DB_LOCK_TIMEOUT_MS: '2500',
      FREIGHT_DB_POOL_WAIT_MS: '0', FREIGHT_WORKER_SHUTDOWN_GRACE_MS: '2000',
    });
    expect(config.db.timeouts).toEqual({ statementMs: 0, idleInTransactionMs: 5_000, lockMs: 2_500, poolWaitMs: 0 });
    expect(config.worker.shutdownForceMs).toBe(12_000);
    expect(loadConfig({ ...BASE, FREIGHT_WORKER_SHUTDOWN_FORCE_MS: '15000' }).worker.shutdownForceMs).toBe(15_000);
  });

  it('refuses negative timeouts and a force time inside the grace period', () => {
    expect(() => loadConfig({ ...BASE, FREIGHT_DB_LOCK_TIMEOUT_MS: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...BASE, FREIGHT_WORKER_SHUTDOWN_GRACE_MS: '10000', FREIGHT_WORKER_SHUTDOWN_FORCE_MS: '10000' }))
      .toThrow(/FREIGHT_WORKER_SHUTDOWN_FORCE_MS must be longer/);
  });
});

describe('loadConfig: worker capacity per process', () => {
  it('sizes the worker pool to its activity slots unless told otherwise', () => {
    expect(loadConfig(BASE).worker).toMatchObject({ maxNamespaces: 10, maxConcurrentActivities: 40, maxConcurrentWorkflowTasks: 80, maxCachedWorkflows: 160, dbPoolMax: 44, leaseTtlMs: 30_000 });
    expect(loadConfig({ ...BASE, FREIGHT_WORKER_MAX_CONCURRENT_ACTIVITIES: '64' }).worker.dbPoolMax).toBe(68);
    expect(loadConfig({ ...BASE, FREIGHT_WORKER_DB_POOL_MAX: '12' }).worker.dbPoolMax).toBe(12);
  });

  it('refuses budgets that cannot give every Worker of the cap its polling slots', () => {
    expect(() => loadConfig({ ...BASE, FREIGHT_WORKER_MAX_NAMESPACES: '20' })).toThrow(/FREIGHT_WORKER_MAX_CONCURRENT_ACTIVITIES must be at least 60/);
    expect(() => loadConfig({ ...BASE, FREIGHT_WORKER_MAX_NAMESPACES: '20', FREIGHT_WORKER_MAX_CONCURRENT_ACTIVITIES: '60' })).toThrow(/WORKFLOW_TASKS must be at least 120/);
    expect(loadConfig({ ...BASE, FREIGHT_WORKER_MAX_NAMESPACES: '20', FREIGHT_WORKER_MAX_CONCURRENT_ACTIVITIES: '60', FREIGHT_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '120' }).worker.maxNamespaces).toBe(20);
    expect(() => loadConfig({ ...BASE, FREIGHT_WORKER_LEASE_TTL_MS: '5000' })).toThrow(/at least 15000/);
  });
});
