import { createRng, type Rng } from '../core/prng.ts';
import { creatorOf, noteId, opportunityId, organizationId, orphanId, personId, type GeneratorContext } from './context.ts';
import { edgeDate, laterTimestamp, randomTimestamp } from './dates.ts';
import { ID_BASE, SALT } from './layout.ts';
import { POISON_MARKER } from './poison.ts';
import type { Note } from './types.ts';
import { NOTE_WORDS } from './words.ts';

/** Huge bodies are just over 100 KB and up to ~160 KB: past the Attio sandbox's default note limit. */
const HUGE_MIN_BYTES = 100 * 1024 + 1;

function sentence(rng: Rng): string {
  const words: string[] = [];
  const length = rng.between(6, 14);
  for (let w = 0; w < length; w += 1) words.push(rng.pick(NOTE_WORDS));
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function paragraph(rng: Rng, sentences: number): string {
  return Array.from({ length: sentences }, () => sentence(rng)).join(' ');
}

function htmlBody(rng: Rng): string {
  const items = Array.from({ length: rng.between(1, 4) }, () => `<li>${sentence(rng)}</li>`).join('');
  return `<p>${paragraph(rng, rng.between(1, 3))}</p><p><strong>Next steps</strong> &amp; owners:</p><ul>${items}</ul><p>${sentence(rng)}<br>— sent from Affinity</p>`;
}

function hugeBody(rng: Rng, html: boolean): string {
  const target = HUGE_MIN_BYTES + rng.int(60 * 1024);
  const block = paragraph(rng, 12);
  const parts: string[] = [];
  let bytes = 0;
  for (let k = 0; bytes < target; k += 1) {
    const part = html ? `<p>${k + 1}. ${block}</p>` : `${k + 1}. ${block}\n\n`;
    parts.push(part);
    bytes += Buffer.byteLength(part);
  }
  return parts.join('');
}

export function buildNote(ctx: GeneratorContext, n: number): Note {
  const { relations, traits, counts } = ctx;
  const rng = createRng(ctx.seed, SALT.note, n);
  const html = traits.note.html(n);
  let content = traits.note.huge(n) ? hugeBody(rng, html) : html ? htmlBody(rng) : paragraph(rng, rng.between(1, 4));
  if (ctx.poison.isPoison('note', n)) content = html ? `<p>${POISON_MARKER}</p>${content}` : `${POISON_MARKER} ${content}`;

  const reply = relations.isReply(n);
  const persons = relations.notePersons(n).map(personId);
  if (!reply && traits.note.orphanPerson(n)) persons.push(orphanId(ID_BASE.person, n + 13));
  if (!reply && traits.note.mergedPerson(n) && counts.mergedPersons > 0) persons.push(ID_BASE.person + counts.persons + (n % counts.mergedPersons));

  const createdAt = traits.note.edgeDate(n) ? edgeDate(Math.floor(n / 61)) : randomTimestamp(rng);
  return {
    id: noteId(n),
    creator_id: creatorOf(ctx, n),
    person_ids: persons,
    organization_ids: relations.noteOrganizations(n).map(organizationId),
    opportunity_ids: relations.noteOpportunities(n).map(opportunityId),
    parent_id: reply ? noteId(n - 1) : null,
    content,
    type: html ? 2 : 0,
    created_at: createdAt,
    updated_at: rng.chance(0.5) ? null : laterTimestamp(rng, createdAt, 30),
  };
}
