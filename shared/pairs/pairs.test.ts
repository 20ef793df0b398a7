import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { normalizeJobRequest } from '../jobs/job-request.ts';
import { CONNECTION_TYPES, CONNECTOR_TYPES, OFFICIAL_BASE_URLS, PAIRS, pairById, pairFor } from './index.ts';
import { apiKeyCredentials, definePair } from './pair-data.ts';

const ids = { sourceConnectionId: '00000000-0000-4000-8000-000000000001', targetConnectionId: '00000000-0000-4000-8000-000000000002' };
const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.details;
    throw err;
  }
  throw new Error('no validation error');
};

describe('pair data', () => {
  it('finds a pair by its connection types and by id; an unknown pair is undefined', () => {
    expect(pairFor('affinity', 'attio')?.id).toBe('affinity-attio');
    expect(pairById('affinity-attio')?.source).toBe('affinity');
    expect(pairFor('attio', 'affinity')).toBeUndefined();
    expect(pairById('nope')).toBeUndefined();
  });

  it('derives the connection types and official base URLs from the connector types', () => {
    expect(CONNECTION_TYPES).toEqual(['affinity', 'attio', 'process-street', 'tallyfy']);
    expect(OFFICIAL_BASE_URLS).toEqual({
      affinity: ['https://api.affinity.co'], attio: ['https://api.attio.com'],
      'process-street': ['https://public-api.process.st/api/v1.1'], tallyfy: ['https://go.tallyfy.com/api', 'https://api.tallyfy.com'],
    });
    for (const p of PAIRS) expect(CONNECTION_TYPES).toEqual(expect.arrayContaining([p.source, p.target]));
  });

  it('Affinity and Attio keep exactly today\'s { apiKey } credentials', () => {
    for (const t of CONNECTOR_TYPES.filter((c) => c.type !== 'tallyfy')) {
      expect(t.credentials.safeParse({ apiKey: 'k' }).success).toBe(true);
      expect(t.credentials.safeParse({ apiKey: 'k', extra: 'x' }).success).toBe(false);
      expect(t.credentials.safeParse({ apiKey: '' }).success).toBe(false);
    }
    expect(apiKeyCredentials.safeParse({}).success).toBe(false);
  });

  it('Tallyfy takes a token or client credentials, and an organisation id setting', () => {
    const tallyfy = CONNECTOR_TYPES.find((c) => c.type === 'tallyfy');
    expect(tallyfy?.credentials.safeParse({ token: 't' }).success).toBe(true);
    expect(tallyfy?.credentials.safeParse({ clientId: 'c', clientSecret: 's' }).success).toBe(true);
    expect(tallyfy?.credentials.safeParse({ clientId: 'c' }).success).toBe(false);
    expect(tallyfy?.credentials.safeParse({ apiKey: 'k' }).success).toBe(false);
    expect(tallyfy?.settings?.safeParse({ organizationId: '0123abcd' }).success).toBe(true);
    expect(tallyfy?.settings?.safeParse({ organizationId: '../users' }).success).toBe(false);
    expect(tallyfy?.settings?.safeParse({}).success).toBe(false);
  });

  it('refuses phases that do not cover the object kinds once, in order', () => {
    const base = { id: 'a-b', source: 'a', target: 'b', displayName: 'A → B', limits: [], objects: [{ kind: 'x', displayName: 'X' }, { kind: 'y', displayName: 'Y' }] };
    expect(() => definePair({ ...base, phases: [{ name: 'p', displayName: 'P', objects: ['y', 'x'] }] })).toThrow(/phases/);
    expect(() => definePair({ ...base, phases: [{ name: 'p', displayName: 'P', objects: ['x'] }] })).toThrow(/phases/);
    expect(definePair({ ...base, phases: [{ name: 'p', displayName: 'P', objects: ['x'] }, { name: 'q', displayName: 'Q', objects: ['y'] }] }).id).toBe('a-b');
  });
});

describe('a job\'s objects and phases, checked against its pair', () => {
  const pair = pairFor('affinity', 'attio');
  if (!pair) throw new Error('no affinity-attio pair');

  it('defaults to every object of the pair, in dependency order', () => {
    expect(normalizeJobRequest(ids, pair).objects).toEqual(['organizations', 'persons', 'opportunities', 'lists', 'notes']);
  });

  it('expands phases to their objects, in dependency order', () => {
    expect(normalizeJobRequest({ ...ids, phases: ['notes', 'records'] }, pair).objects).toEqual(['organizations', 'persons', 'opportunities', 'notes']);
    expect(normalizeJobRequest({ ...ids, phases: ['lists'] }, pair).objects).toEqual(['lists']);
  });

  it('refuses an object the pair does not have, naming the pair\'s objects', () => {
    const other = definePair({
      id: 'x-y', source: 'x', target: 'y', displayName: 'X → Y', limits: [],
      objects: [{ kind: 'users', displayName: 'Users' }], phases: [{ name: 'foundation', displayName: 'Foundation', objects: ['users'] }],
    });
    expect(issuesOf(() => normalizeJobRequest({ ...ids, objects: ['organizations'] }, other)))
      .toEqual([{ path: ['objects', 0], message: 'one of users (the X → Y object kinds)' }]);
    expect(normalizeJobRequest({ ...ids, phases: ['foundation'] }, other).objects).toEqual(['users']);
    expect(issuesOf(() => normalizeJobRequest({ ...ids, phases: ['records'] }, other)))
      .toEqual([{ path: ['phases', 0], message: 'one of foundation (the X → Y phases)' }]);
  });

  it('moves the kinds of objects and phases together; refuses an unknown phase', () => {
    expect(normalizeJobRequest({ ...ids, objects: ['persons'], phases: ['notes'] }, pair).objects).toEqual(['persons', 'notes']);
    expect(issuesOf(() => normalizeJobRequest({ ...ids, phases: ['nope'] }, pair)))
      .toEqual([{ path: ['phases', 0], message: 'one of records, lists, notes (the Affinity → Attio phases)' }]);
    expect(issuesOf(() => normalizeJobRequest({ ...ids, phases: [] }, pair))).toEqual([{ path: ['phases'], message: 'at least one phase' }]);
  });
});
