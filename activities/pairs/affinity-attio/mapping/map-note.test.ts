import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
import { mapNote, noteMarker, parseNoteMarker } from './map-note.ts';
import { resolveMappingConfig } from './mapping-config.ts';
import { context } from './test-fixtures.ts';
import { noteOf, previewLinks } from '../affinity/affinity-v2-records.ts';
import { notes as v2Notes, replies as v2Replies } from '../affinity/affinity-v2-test-fixtures.ts';

describe('mapNote', () => {
  it('attaches to the first migrated person and lists the other links in a footer', () => {
    const out = mapNote(
      { id: 50, person_ids: [404, 9], organization_ids: [5], opportunity_ids: [12], content: 'Intro call\nGreat team', type: 0, created_at: '2019-02-28T10:00:00Z' },
      context(['person:9', 'organization:5']),
    );
    expect(out.status).toBe('ok');
    if (out.status !== 'ok') return;
    expect(out.write).toEqual({
      source: { kind: 'note', id: '50' },
      parent: { object: 'people', id: 'rec-person-9' },
      title: `Intro call ${noteMarker(50)}`,
      format: 'plaintext',
      content: 'Intro call\nGreat team\n\n—\nAlso linked in Affinity: person 404 (not migrated), organization 5, opportunity 12 (not migrated).\nMigrated from Affinity note #50.',
      createdAt: '2019-02-28T10:00:00.000Z',
    });
    expect(out.notes).toEqual(['attached to person 9', 'also linked in Affinity, listed in the footer: person 404, organization 5, opportunity 12']);
  });

  it('maps a v2 reply onto the record its root note is attached to, saying whose reply it is', () => {
    const [root] = v2Notes;
    const [reply] = v2Replies;
    if (!root || !reply) throw new Error('fixtures');
    const { links } = previewLinks(root);
    const ctx = context(['organization:1']);
    const rootOut = mapNote(noteOf(root, links, null), ctx);
    const replyOut = mapNote(noteOf(reply, links, root.id), ctx);
    expect(rootOut).toMatchObject({ status: 'ok', write: { parent: { object: 'companies', id: 'rec-organization-1' }, format: 'markdown' } });
    expect(replyOut).toMatchObject({ status: 'ok', write: { parent: { object: 'companies', id: 'rec-organization-1' } } });
    expect(replyOut.status === 'ok' && replyOut.write.content).toContain('Reply to Affinity note #900.');
  });

  it('falls back to organization, then opportunity, following parentOrder', () => {
    const ctx = context(['organization:5', 'opportunity:12']);
    expect(mapNote({ id: 51, person_ids: [404], organization_ids: [5], opportunity_ids: [12], content: 'x' }, ctx)).toMatchObject({ write: { parent: { object: 'companies' } } });
    const oppFirst = context(['organization:5', 'opportunity:12'], resolveMappingConfig({ note: { parentOrder: ['opportunity', 'organization'] } }));
    expect(mapNote({ id: 51, organization_ids: [5], opportunity_ids: [12], content: 'x' }, oppFirst)).toMatchObject({ write: { parent: { object: 'deals' } } });
  });

  it('skips notes without a migrated parent, with the reason', () => {
    expect(mapNote({ id: 52, content: 'x' }, context())).toMatchObject({ status: 'skip', kind: 'not_found', reason: 'note has no linked entity' });
    expect(mapNote({ id: 53, person_ids: [404], content: 'x' }, context())).toMatchObject({ status: 'skip', reason: expect.stringContaining('person 404') });
  });

  it('converts HTML to markdown, titles it with plain words, and marks replies', () => {
    const out = mapNote({ id: 54, person_ids: [9], type: 2, parent_id: 50, content: '<p><b>Board</b> meeting &amp; notes</p><p>2nd</p>' }, context(['person:9']));
    expect(out).toMatchObject({ status: 'ok', write: { format: 'markdown', title: `Board meeting & notes ${noteMarker(54)}` } });
    if (out.status === 'ok') expect(out.write.content).toBe('**Board** meeting & notes\n\n2nd\n\n---\nReply to Affinity note #50.\nMigrated from Affinity note #54.');
  });

  it('truncates huge bodies to the limit with a visible marker', () => {
    const out = mapNote({ id: 55, person_ids: [9], type: 0, content: 'a'.repeat(500_000) }, context(['person:9']));
    expect(out.status).toBe('ok');
    if (out.status !== 'ok') return;
    expect(Buffer.byteLength(out.write.content)).toBeLessThanOrEqual(100_000);
    expect(out.write.content).toMatch(/more bytes not migrated\]/);
    expect(out.warnings[0]).toMatch(/truncated/);
  });

  it('clamps pre-1970 dates and drops future ones', () => {
    const ctx = context(['person:9']);
    expect(mapNote({ id: 56, person_ids: [9], content: 'x', created_at: '1965-01-01T00:00:00Z' }, ctx)).toMatchObject({ write: { createdAt: '1970-01-01T00:00:00.000Z' } });
    const future = mapNote({ id: 57, person_ids: [9], content: 'x', created_at: '2100-01-01T00:00:00Z' }, ctx);
    expect(future).toMatchObject({ status: 'ok', warnings: [expect.stringMatching(/future/)] });
    expect(future.status === 'ok' && 'createdAt' in future.write).toBe(false);
  });

  it('always yields a title carrying the marker and content within the limit (property)', () => {
    const ctx = context(['person:9'], resolveMappingConfig({ note: { maxContentBytes: 2000 } }));
    fc.assert(fc.property(fc.integer({ min: 1 }), fc.string({ unit: 'grapheme', maxLength: 5000 }), fc.constantFrom(0, 1, 2, 3, null), (id, content, type) => {
      const out = mapNote({ id, person_ids: [9], content, type }, ctx);
      expect(out.status).toBe('ok');
      if (out.status !== 'ok') return;
      expect(parseNoteMarker(out.write.title)).toBe(String(id));
      expect(Buffer.byteLength(out.write.content)).toBeLessThanOrEqual(2000);
      expect(out.write.content).not.toMatch(LONE_SURROGATE);
    }));
  });
});
