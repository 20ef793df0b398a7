import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { canonicalJson, DEFAULT_RETRY_POLICY, JOB_OBJECTS, normalizeJobRequest, requestHash, retryWaitMs } from './job-request.ts';

const ids = { sourceConnectionId: '0d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11', targetConnectionId: '1d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11' };

function issuesOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).details;
  }
  throw new Error('expected a ValidationError');
}

describe('job requests', () => {
  it('apply defaults', () => {
    expect(normalizeJobRequest(ids)).toEqual({
      ...ids, objects: [...JOB_OBJECTS], batchSize: 100, concurrency: 4, retryPolicy: DEFAULT_RETRY_POLICY, dryRun: false, metadata: {}, mapping: null, proceedOverQuota: false, delta: null,
    });
  });

  it('take a delta only with the job it follows, and hash a full job as before deltas existed', () => {
    const follows = '2d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11';
    expect(normalizeJobRequest({ ...ids, mode: 'delta', follows: follows.toUpperCase() }).delta).toEqual({ follows, onConflict: 'keep-target', targetEdits: 'all', sourceFilter: 'changes' });
    expect(normalizeJobRequest({ ...ids, mode: 'delta', follows, onConflict: 'take-source' }).delta).toEqual({ follows, onConflict: 'take-source', targetEdits: 'all', sourceFilter: 'changes' });
    // Without `follows`: the latest completed job of the connections (found at creation); `follows` alone makes a delta.
    expect(normalizeJobRequest({ ...ids, mode: 'delta' }).delta).toEqual({ follows: null, onConflict: 'keep-target', targetEdits: 'all', sourceFilter: 'changes' });
    expect(normalizeJobRequest({ ...ids, follows }).delta).toEqual({ follows, onConflict: 'keep-target', targetEdits: 'all', sourceFilter: 'changes' });
    // No cross-field refusal: what a full job does not use is ignored.
    expect(normalizeJobRequest({ ...ids, mode: 'full', follows }).delta).toBeNull();
    expect(normalizeJobRequest({ ...ids, onConflict: 'take-source' }).delta).toBeNull();
    // A repeat of a full request made before deltas existed still matches its Idempotency-Key.
    const { delta: _delta, proceedOverQuota: _proceed, ...full } = normalizeJobRequest(ids);
    expect(requestHash(normalizeJobRequest(ids))).toBe(createHash('sha256').update(canonicalJson(full)).digest('hex'));
    expect(requestHash(normalizeJobRequest({ ...ids, mode: 'delta', follows }))).not.toBe(requestHash(normalizeJobRequest(ids)));
  });

  it('take targetEdits on a delta (default all); a delta with the default hashes as before the option existed', () => {
    const follows = '2d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11';
    expect(normalizeJobRequest({ ...ids, follows, targetEdits: 'changed' }).delta).toEqual({ follows, onConflict: 'keep-target', targetEdits: 'changed', sourceFilter: 'changes' });
    expect(issuesOf(() => normalizeJobRequest({ ...ids, follows, targetEdits: 'some' as never }))).toEqual([expect.objectContaining({ path: ['targetEdits'] })]);
    const { proceedOverQuota: _proceed, ...delta } = normalizeJobRequest({ ...ids, follows });
    const before = { ...delta, delta: { follows, onConflict: 'keep-target' } };
    expect(requestHash(normalizeJobRequest({ ...ids, follows }))).toBe(createHash('sha256').update(canonicalJson(before)).digest('hex'));
    expect(requestHash(normalizeJobRequest({ ...ids, follows, targetEdits: 'changed' }))).not.toBe(requestHash(normalizeJobRequest({ ...ids, follows })));
  });

  it('take sourceFilter on a delta (default changes); a delta with the default hashes as before the option existed', () => {
    const follows = '2d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11';
    expect(normalizeJobRequest({ ...ids, follows, sourceFilter: 'off' }).delta).toEqual({ follows, onConflict: 'keep-target', targetEdits: 'all', sourceFilter: 'off' });
    expect(issuesOf(() => normalizeJobRequest({ ...ids, follows, sourceFilter: 'none' as never }))).toEqual([expect.objectContaining({ path: ['sourceFilter'] })]);
    expect(normalizeJobRequest({ ...ids, sourceFilter: 'off' }).delta).toBeNull();
    const { proceedOverQuota: _proceed, ...delta } = normalizeJobRequest({ ...ids, follows, sourceFilter: 'changes' });
    const before = { ...delta, delta: { follows, onConflict: 'keep-target' } };
    expect(requestHash(normalizeJobRequest({ ...ids, follows, sourceFilter: 'changes' }))).toBe(createHash('sha256').update(canonicalJson(before)).digest('hex'));
    expect(requestHash(normalizeJobRequest({ ...ids, follows, sourceFilter: 'off' }))).not.toBe(requestHash(normalizeJobRequest({ ...ids, follows })));
  });

  it('hash the job, not the instruction to go over the quota', () => {
    expect(requestHash(normalizeJobRequest({ ...ids, proceedOverQuota: true }))).toBe(requestHash(normalizeJobRequest(ids)));
    expect(requestHash(normalizeJobRequest({ ...ids, dryRun: true }))).not.toBe(requestHash(normalizeJobRequest(ids)));
  });

  it('put objects in dependency order, once each', () => {
    expect(normalizeJobRequest({ ...ids, objects: ['notes', 'organizations', 'notes', 'persons'] }).objects).toEqual(['organizations', 'persons', 'notes']);
  });

  it('merge a partial retry policy over the defaults', () => {
    expect(normalizeJobRequest({ ...ids, retryPolicy: { maxAttempts: 9, nonRetryable: ['auth', 'auth'] } }).retryPolicy)
      .toEqual({ ...DEFAULT_RETRY_POLICY, maxAttempts: 9, nonRetryable: ['auth'] });
  });

  it('accept a cap below the initial interval: every retry then waits the cap', () => {
    const req = normalizeJobRequest({ ...ids, retryPolicy: { initialIntervalMs: 5000, maximumIntervalMs: 1000 } });
    expect(req.retryPolicy).toMatchObject({ initialIntervalMs: 5000, maximumIntervalMs: 1000 });
    expect([1, 2, 3].map((n) => retryWaitMs(req.retryPolicy, n))).toEqual([1000, 1000, 1000]);
    expect([1, 2, 3, 4].map((n) => retryWaitMs({ initialIntervalMs: 100, backoffCoefficient: 2, maximumIntervalMs: 500 }, n))).toEqual([100, 200, 400, 500]);
  });

  it('reject out-of-range values, unknown kinds and large metadata', () => {
    const issues = issuesOf(() => normalizeJobRequest({
      ...ids, objects: ['deals'], batchSize: 0, concurrency: 65,
      retryPolicy: { backoffCoefficient: 11, initialIntervalMs: 5000, maximumIntervalMs: 0, nonRetryable: ['nope'] },
      metadata: { blob: 'x'.repeat(9000) },
    }));
    expect((issues as { path: unknown[] }[]).map((i) => i.path.join('.'))).toEqual([
      'objects.0', 'batchSize', 'concurrency', 'retryPolicy.maximumIntervalMs', 'retryPolicy.backoffCoefficient', 'retryPolicy.nonRetryable', 'metadata',
    ]);
    expect(issuesOf(() => normalizeJobRequest({ ...ids, batchSize: 1001 }))).toEqual([expect.objectContaining({ path: ['batchSize'] })]);
    expect(issuesOf(() => normalizeJobRequest({ ...ids, objects: [] }))).toEqual([expect.objectContaining({ path: ['objects'] })]);
  });

  it('hash equal requests equally, whatever the key order or spelled-out defaults', () => {
    const a = normalizeJobRequest({ ...ids, metadata: { a: 1, b: { c: 2, d: 3 } } });
    const b = normalizeJobRequest({ targetConnectionId: ids.targetConnectionId, sourceConnectionId: ids.sourceConnectionId, batchSize: 100, metadata: { b: { d: 3, c: 2 }, a: 1 } });
    expect(requestHash(a)).toBe(requestHash(b));
    expect(requestHash(a)).not.toBe(requestHash({ ...a, dryRun: true }));
    expect(canonicalJson({ b: [2, { y: 1, x: null }], a: 'x' })).toBe('{"a":"x","b":[2,{"x":null,"y":1}]}');
  });
});
