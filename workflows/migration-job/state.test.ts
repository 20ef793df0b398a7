import { describe, expect, it } from 'vitest';
import { batchIdFor, initialState, mayLoad, maybeAdvanceKind, nextRetryIndex, type JobState } from './state.ts';
import type { MigrationJobInput } from './definitions.ts';

const objects = ['organizations', 'persons', 'notes'];
const input = { objects, batchSize: 10, concurrency: 2 } as unknown as MigrationJobInput;

function exhaustedOrganizations(): JobState {
  const s = initialState(input, 0);
  s.exhausted = true;
  s.ready = [batchIdFor('organizations', 3)];
  s.inFlight.add(batchIdFor('organizations', 2));
  s.inFlightByKind.set('organizations', 1);
  return s;
}

describe('kind order with overlapping extraction', () => {
  it('without overlap, extraction waits until the kind has nothing queued or running', () => {
    const s = exhaustedOrganizations();
    expect(maybeAdvanceKind(s, objects)).toBe(false);
    expect(s.kindIndex).toBe(0);
  });

  it('with overlap, extraction moves on as soon as the kind is read to the end', () => {
    const s = exhaustedOrganizations();
    expect(maybeAdvanceKind(s, objects, true)).toBe(true);
    expect(s).toMatchObject({ kindIndex: 1, cursor: null, seq: 0, exhausted: false });
    s.extracting = true;
    expect(maybeAdvanceKind(s, objects, true)).toBe(false);
  });

  it('a batch loads only once no load of an earlier kind is running', () => {
    const s = exhaustedOrganizations();
    expect(mayLoad(s, objects, batchIdFor('organizations', 3))).toBe(true);
    expect(mayLoad(s, objects, batchIdFor('persons', 0))).toBe(false);
    expect(mayLoad(s, objects, batchIdFor('notes', 0))).toBe(false);
    s.inFlightByKind.set('organizations', 0);
    s.inFlightByKind.set('persons', 1);
    expect(mayLoad(s, objects, batchIdFor('persons', 1))).toBe(true);
    expect(mayLoad(s, objects, batchIdFor('notes', 0))).toBe(false);
  });
});

describe('retries in kind order', () => {
  it('starts the earliest kind queued first, and a later kind only once the earlier loads are done', () => {
    const s = initialState(input, 0);
    s.retries = [
      { batchId: batchIdFor('notes', 0), mode: 'failed-only' },
      { batchId: batchIdFor('persons', 4), mode: 'failed-only' },
      { batchId: batchIdFor('persons', 1), mode: 'failed-only' },
    ];
    expect(nextRetryIndex(s, objects)).toBe(1);
    s.retries.splice(1, 1);
    s.inFlight.add(batchIdFor('persons', 4));
    s.inFlightByKind.set('persons', 1);
    // Another persons retry may run beside it; the note waits for both.
    expect(nextRetryIndex(s, objects)).toBe(1);
    s.retries.splice(1, 1);
    s.inFlightByKind.set('persons', 2);
    expect(nextRetryIndex(s, objects)).toBe(-1);
    s.inFlightByKind.set('persons', 0);
    expect(nextRetryIndex(s, objects)).toBe(0);
  });

  it('has nothing to start when nothing is queued', () => {
    expect(nextRetryIndex(initialState(input, 0), objects)).toBe(-1);
  });
});
