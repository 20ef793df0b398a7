import { AFFINITY_NOTE_TYPES, type AffinityNote } from '../affinity/affinity-types.ts';
import type { NoteWrite, SourceKey, TargetRef } from '../connector-types.ts';
import { toBackdatedTimestamp } from './dates.ts';
import { htmlToText, looksLikeHtml } from './html-to-text.ts';
import { cleanText, truncate, truncateUtf8, utf8Length } from './normalize.ts';
import type { MapContext, MapOutcome } from './types.ts';

/** Title suffix that identifies the source note; the target searches for it after a crash. */
export function noteMarker(noteId: string | number): string {
  return `[affinity-note ${noteId}]`;
}

export function parseNoteMarker(title: string): string | null {
  return /\[affinity-note (\d+)\]\s*$/.exec(title)?.[1] ?? null;
}

/**
 * Note → note. Attio notes have exactly one parent: the first *migrated* linked entity in
 * `parentOrder` (default person, organization, opportunity; within a kind, Affinity's order). All
 * other links are listed in a footer of the body so nothing is lost. Bodies: HTML (type 2, or AI
 * summaries containing tags) → markdown or plaintext per `htmlTo`; plain and legacy email bodies
 * stay plaintext. Bodies past `maxContentBytes` (UTF-8) are truncated with a visible marker.
 */
export function mapNote(note: AffinityNote, ctx: MapContext): MapOutcome<NoteWrite> {
  const nc = ctx.config.note;
  const warnings: string[] = [];
  const notes: string[] = [];
  const linked: SourceKey[] = [];
  for (const kind of nc.parentOrder) {
    const ids = kind === 'person' ? note.person_ids : kind === 'organization' ? note.organization_ids : note.opportunity_ids;
    for (const id of new Set(ids ?? [])) linked.push({ kind, id: String(id) });
  }
  const resolved = linked.map((key) => ({ key, ref: ctx.resolve(key) }));
  const parentIndex = resolved.findIndex((r) => r.ref);
  const chosen = resolved[parentIndex];
  if (!chosen?.ref) {
    const reason = linked.length === 0 ? 'note has no linked entity' : `none of the linked entities is migrated (${linked.map(label).join(', ')})`;
    return { status: 'skip', kind: 'not_found', reason, notes, warnings };
  }
  const parent: TargetRef = chosen.ref;
  notes.push(`attached to ${label(chosen.key)}`);
  const others = resolved.filter((_, i) => i !== parentIndex);
  if (others.length > 0) notes.push(`also linked in Affinity, listed in the footer: ${others.map((o) => label(o.key)).join(', ')}`);

  const raw = note.content ?? '';
  const isHtml = note.type === AFFINITY_NOTE_TYPES.html || (note.type !== AFFINITY_NOTE_TYPES.plain && looksLikeHtml(raw));
  const format = isHtml && nc.htmlTo === 'markdown' ? 'markdown' : 'plaintext';
  let body = isHtml ? htmlToText(raw, format) : raw.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  if (isHtml) notes.push(`HTML body converted to ${format}`);
  if (body === '') warnings.push('note body is empty');

  const footerLines: string[] = [];
  if (note.parent_id) footerLines.push(`Reply to Affinity note #${note.parent_id}.`);
  if (others.length > 0) footerLines.push(`Also linked in Affinity: ${others.map((o) => label(o.key) + (o.ref ? '' : ' (not migrated)')).join(', ')}.`);
  footerLines.push(`Migrated from Affinity note #${note.id}.`);
  const footer = `${format === 'markdown' ? '\n\n---\n' : '\n\n—\n'}${footerLines.join('\n')}`;

  const budget = nc.maxContentBytes - utf8Length(footer);
  const bodyBytes = utf8Length(body);
  if (bodyBytes > budget) {
    // The marker is under 64 bytes; cut first, then say exactly how much was cut.
    const kept = truncateUtf8(body, budget - 64);
    body = `${kept}\n\n[… ${bodyBytes - utf8Length(kept)} more bytes not migrated]`;
    warnings.push(`note body truncated: ${bodyBytes} bytes, limit ${nc.maxContentBytes}`);
  }

  const summary = truncate(cleanText(firstLine(isHtml ? htmlToText(raw.slice(0, 4000), 'plaintext') : raw)), nc.titleMaxChars);
  const title = `${summary || 'Affinity note'} ${noteMarker(note.id)}`;
  const created = toBackdatedTimestamp(note.created_at, ctx.now);
  if (created.warning) warnings.push(created.warning);

  return {
    status: 'ok',
    write: {
      source: { kind: 'note', id: String(note.id) },
      parent,
      title,
      format,
      content: `${body}${footer}`,
      ...(created.createdAt ? { createdAt: created.createdAt } : {}),
    },
    notes,
    warnings,
  };
}

function label(key: SourceKey): string {
  return `${key.kind} ${key.id}`;
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '') ?? '';
}
