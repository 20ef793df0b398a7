import type { Rng } from '../../core/prng.ts';
import { fileMeta, makeFile } from './files.ts';
import { DAY_MS, iso, KIND, muid } from './ids.ts';
import type { StoredFile, UserRef } from './types.ts';
import type { FieldSpec } from './workflows.ts';
import { FIRST_NAMES, LAST_NAMES, UNICODE_COMPANY_NAMES, COMPANY_WORDS, COMPANY_SUFFIXES } from '../../generator/words.ts';

export interface ValueContext {
  seed: number;
  rng: Rng;
  /** Run index and value slot: what file ids hash from. */
  run: number;
  slot: number;
  createdMs: number;
  members: UserRef[];
  formerUser: UserRef;
  files: Map<string, StoredFile>;
}

const HTML_NOTES = '<p>Call went <b>well</b>.</p><ul><li>pricing</li><li>next steps</li></ul><script>alert("x")</script>';
const LONG_TEXT = 'This value is longer than a Text field’s 255 characters on purpose: '.repeat(8).trim();

/**
 * The `data` of one run form-field value. Read shapes the reference leaves undocumented are fixed here
 * (see README "Value shapes"): Date = ISO string, Members = [{id, email, username}], File/Document =
 * {id, name, mimeType, size, url}, MultiFile = [that], Table = [{<columnId>: cell}], MultiSelect = checked
 * subtask item ids, SendRichEmail = {sentDate} once sent. About one value in eight is empty (null or "").
 * Messy on purpose: emails with spaces, HTML in textareas, numbers as strings, text over 255 characters.
 */
export function valueFor(spec: FieldSpec, ctx: ValueContext): unknown {
  const { rng } = ctx;
  const type = spec.field.fieldType;
  if (rng.chance(0.12)) return type === 'Text' || type === 'Textarea' || type === 'Email' || type === 'Url' ? '' : null;
  const person = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
  switch (type) {
    case 'Text':
      return rng.chance(0.15) ? rng.pick(UNICODE_COMPANY_NAMES) : `${rng.pick(COMPANY_WORDS)} ${rng.pick(COMPANY_SUFFIXES)}`;
    case 'Textarea':
      if (rng.chance(0.2)) return HTML_NOTES;
      if (rng.chance(0.15)) return `${LONG_TEXT} (run ${ctx.run})`;
      return `Spoke with ${person}.\nAgreed on next steps.`;
    case 'Email': {
      const email = `${person.replace(' ', '.').toLowerCase()}@${rng.pick(COMPANY_WORDS).toLowerCase()}.com`;
      return rng.chance(0.2) ? `  ${email.replace(/^./, (c) => c.toUpperCase())} ` : email;
    }
    case 'Url':
      return rng.chance(0.2) ? `www.${rng.pick(COMPANY_WORDS).toLowerCase()}.io` : `https://${rng.pick(COMPANY_WORDS).toLowerCase()}.example.com/path?q=${ctx.run}`;
    case 'Number': {
      const n = Math.round(rng.next() * 100_000) / 100;
      return rng.chance(0.25) ? (rng.chance(0.5) ? String(n) : n.toLocaleString('en-US')) : n;
    }
    case 'Date':
      return iso(Math.floor((ctx.createdMs + rng.between(-20, 60) * DAY_MS) / DAY_MS) * DAY_MS + (spec.config.timeOption === 'Hidden' ? 0 : rng.int(24) * 3_600_000));
    case 'Select':
      return (rng.pick(spec.options)).value;
    case 'MultiChoice':
      return spec.options.filter(() => rng.chance(0.5)).map((o) => o.value);
    case 'MultiSelect':
      return spec.items.filter(() => rng.chance(0.6)).map((i) => i.id);
    case 'Members': {
      const picked = ctx.members.filter(() => rng.chance(0.08)).slice(0, 3);
      if (picked.length === 0) picked.push(rng.pick(ctx.members));
      if (rng.chance(0.05)) picked.push(ctx.formerUser);
      return picked;
    }
    case 'File':
    case 'Document':
      return fileMeta(storeFile(ctx, 0, type === 'Document' ? 'agreement' : 'contract'));
    case 'MultiFile':
      return Array.from({ length: rng.between(1, 3) }, (_, i) => fileMeta(storeFile(ctx, i, 'evidence')));
    case 'Table':
      return Array.from({ length: rng.between(1, 3) }, (_, row) =>
        Object.fromEntries(spec.columns.map((c, i) => [c.id, i === 0 ? `Row ${row + 1}` : String(rng.between(1, 500))])));
    case 'SendRichEmail':
      return { sentDate: iso(ctx.createdMs + rng.int(10 * DAY_MS)) };
    case 'Hidden':
      return `crm-${ctx.run}`;
    case 'Snippet':
      return 'Follow the steps in the handbook.';
  }
}

function storeFile(ctx: ValueContext, index: number, baseName: string): StoredFile {
  const id = muid(ctx.seed, KIND.file, ctx.run, ctx.slot, index);
  const file = makeFile(ctx.seed, id, `${baseName}-${ctx.run}-${index + 1}`, ctx.run * 1000 + ctx.slot * 10 + index);
  ctx.files.set(id, file);
  return file;
}
