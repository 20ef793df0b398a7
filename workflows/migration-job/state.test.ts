import { describe, expect, it } from 'vitest';
import { batchIdFor, initialState, mayLoad, maybeAdvanceKind, type JobState } from './state.ts';
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
