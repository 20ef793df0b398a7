import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClient } from '../../test-client.ts';
import { checkAffinityContract } from '../contract/index.ts';
import { startAffinitySandbox, type AffinitySandbox } from '../index.ts';
import { parseFilter, type FilterProperties } from './filter.ts';

interface Item { id: number; at: string | null }
const PROPS: FilterProperties<Item> = {
  id: { type: 'int32', operators: ['='], read: (i) => i.id },
  updatedAt: { type: 'datetime', operators: ['>', '<', '>=', '<='], read: (i) => i.at },
};
const items: Item[] = [{ id: 1, at: '2025-01-01T00:00:00.000Z' }, { id: 2, at: '2025-06-01T00:00:00.000Z' }, { id: 3, at: null }];
const ids = (filter: string) => items.filter(parseFilter(filter, PROPS)).map((i) => i.id);

describe('Affinity Filtering Language (the part the notes endpoints document)', () => {
  it('compares datetimes, ands before ors, groups, negates; null never compares', () => {
    expect(ids('updatedAt>=2025-06-01T00:00:00Z')).toEqual([2]);
    expect(ids('updatedAt > 2025-01-01T00:00:00Z')).toEqual([2]);
    expect(ids('updatedAt<=2025-01-01T00:00:00Z')).toEqual([1]);
    expect(ids('updatedAt<2025-06-01T02:00:01+02:00')).toEqual([1, 2]);
    expect(ids('id=3 | id=1 & updatedAt>2025-03-01T00:00:00Z')).toEqual([3]);
    expect(ids('(id=3 | id=1) & updatedAt<2025-03-01T00:00:00Z')).toEqual([1]);
    expect(ids('!(updatedAt>=2025-01-01T00:00:00Z)')).toEqual([3]);
    expect(ids('id="2"')).toEqual([2]);
  });

  it('refuses what the endpoint does not document, or a malformed expression, as a 400 on filter', () => {
    for (const bad of ['', 'content=x', 'id>1', 'id!=1', 'updatedAt=2025-01-01T00:00:00Z', 'updatedAt>=2025-01-01', 'updatedAt>=yesterday',
      'id=1 &', '(id=1', 'id=1)', 'id=x', 'id=1 id=2', 'updatedAt>="2025-01-01T00:00:00Z']) {
      expect(() => parseFilter(bad, PROPS), bad).toThrow(expect.objectContaining({ status: 400, param: 'filter' }));
    }
  });
});

describe('GET /v2/notes?filter= in the sandbox', () => {
  let sandbox: AffinitySandbox;
  let call: ReturnType<typeof createTestClient>;
  const NOW = Date.parse('2026-06-01T12:00:00Z');

  beforeAll(async () => {
    sandbox = await startAffinitySandbox({ seed: 21, size: 200, limits: { perMinute: 0, monthly: 0 }, contract: checkAffinityContract, now: () => NOW });
    call = createTestClient(sandbox.url, `Bearer ${sandbox.apiKey}`);
  });
  afterAll(() => sandbox.close());

  const q = (filter: string) => `filter=${encodeURIComponent(filter)}`;
  async function all(path: string): Promise<{ id: number; updatedAt: string | null; createdAt: string }[]> {
    const out = [];
    let url: string | null = path;
    while (url) {
      const res: { status: number; body: { data: { id: number; updatedAt: string | null; createdAt: string }[]; pagination: { nextUrl: string | null } } } = await call('GET', url.replace(sandbox.url, ''));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      out.push(...res.body.data);
      url = res.body.pagination.nextUrl;
    }
    return out;
  }

  it('lists only the notes changed since the instant asked, page after page; an edit sets updatedAt', async () => {
    const roots = await all('/v2/notes?limit=100');
    expect(roots.length).toBeGreaterThan(5);
    // Generated notes date from before 2025: none is newer than the sandbox's "now" minus a day.
    const since = new Date(NOW - 86_400_000).toISOString();
    expect(await all(`/v2/notes?limit=100&${q(`updatedAt>=${since}|createdAt>=${since}`)}`)).toEqual([]);
    const changed = [roots[1]!, roots[4]!, roots[5]!];
    expect((await call('POST', '/__sandbox/mutations', { change: changed.map((n) => ({ kind: 'note', id: n.id, content: `<p>edited ${n.id}</p>` })) })).status).toBe(200);
    // limit=1: the filter stays with the cursor.
    const found = await all(`/v2/notes?limit=1&${q(`updatedAt >= ${since} | createdAt >= ${since}`)}`);
    expect(found.map((n) => n.id)).toEqual(changed.map((n) => n.id));
    expect(found.every((n) => n.updatedAt === new Date(NOW).toISOString())).toBe(true);
    const single = await call('GET', `/v2/notes/${changed[0]!.id}`);
    expect(single.body.content.html).toBe(`<p>edited ${changed[0]!.id}</p>`);
    // The other notes: what the listing had, and their count with totalCount.
    const older = await call('GET', `/v2/notes?limit=100&totalCount=true&${q(`updatedAt<${since}|createdAt<${since}`)}`);
    expect(older.body.pagination.totalCount).toBe(roots.length);
    const untouched = await all(`/v2/notes?limit=100&${q(`!(updatedAt>=${since})`)}`);
    expect(untouched.map((n) => n.id)).toEqual(roots.filter((r) => !changed.includes(r)).map((r) => r.id));
    expect(await all(`/v2/notes?${q(`id=${changed[2]!.id}`)}`)).toHaveLength(1);
  });

  it('filters replies and an entity’s notes on their three properties, and refuses a bad filter with a validation error', async () => {
    const { account } = sandbox;
    const root = Array.from({ length: account.counts.notes }, (_, n) => n).find((n) => !account.isReply(n) && account.repliesOf(n).length > 0)!;
    const reply = account.note(account.repliesOf(root)[0]!);
    const rootId = account.note(root).id;
    expect(await all(`/v2/notes/${rootId}/replies?${q(`createdAt<=${reply.created_at}`)}`)).toHaveLength(1);
    expect(await all(`/v2/notes/${rootId}/replies?${q(`createdAt>${reply.created_at}`)}`)).toHaveLength(0);
    const bad = await call('GET', `/v2/notes/${rootId}/replies?${q(`id=${reply.id}`)}`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ errors: [{ code: 'validation', param: 'filter', message: expect.stringContaining('id') }] });
    const person = account.person(0).id;
    expect((await call('GET', `/v2/persons/${person}/notes?${q('createdAt>=2000-01-01T00:00:00Z')}`)).status).toBe(200);
    for (const filter of ['updatedAt>=2025-02-03', 'updatedAt=2025-02-03T10:48:24Z', 'content=x', 'updatedAt>=2025-02-03T10:48:24Z &']) {
      const res = await call('GET', `/v2/notes?${q(filter)}`);
      expect(res.status, filter).toBe(400);
      expect(res.body, filter).toMatchObject({ errors: [{ code: 'validation', param: 'filter' }] });
    }
  });
});
